using System;
using System.Globalization;
using System.Numerics;

namespace PodShell.Cgroups;

/// <summary>
/// Kubernetes resource quantities and kubelet's conversions to cgroup values
/// (k8s.io/apimachinery resource.Quantity; pkg/kubelet/cm/helpers_linux.go).
/// </summary>
public static class KubeQuantity
{
    public const ulong MinShares = 2;
    public const ulong MaxShares = 262144;
    public const long MinQuotaPeriod = 1000;
    public const long QuotaPeriod = 100000;

    /// <summary>CPU in millicores, rounded up as Quantity.MilliValue does: "500m" -> 500, "0.5" -> 500, "2" -> 2000.</summary>
    public static long ParseCpuMilli(string q)
    {
        (BigInteger num, BigInteger den) = Parse(q, "CPU");
        return ToInt64(CeilDiv(num * 1000, den), q, "CPU");
    }

    /// <summary>True for a CPU quantity above 0 but below 1m, which the API refuses for a container (ParseCpuMilli rounds it up to 1).</summary>
    public static bool IsBelowOneMilliCpu(string q)
    {
        (BigInteger num, BigInteger den) = Parse(q, "CPU");
        return num > 0 && num * 1000 < den;
    }

    /// <summary>Bytes, rounded up as Quantity.Value does: "256Mi", "1G", "128974848", "129e6", "0.5Gi".</summary>
    public static long ParseBytes(string q)
    {
        (BigInteger num, BigInteger den) = Parse(q, "memory");
        return ToInt64(CeilDiv(num, den), q, "memory");
    }

    /// <summary>kubelet MilliCPUToShares: milli*1024/1000 clamped to [2, 262144]; 0 -> 2.</summary>
    public static ulong SharesFromMilli(long milli)
    {
        if (milli <= 0) return MinShares;
        // milli*1024 overflows only beyond 9e15 millicores, far past the clamp; use 128-bit to be exact anyway.
        BigInteger shares = (BigInteger)milli * 1024 / 1000;
        if (shares < MinShares) return MinShares;
        if (shares > MaxShares) return MaxShares;
        return (ulong)shares;
    }

    /// <summary>
    /// kubelet MilliCPUToQuota: milli*period/1000, at least 1000. As in kubelet, 0 millicores returns 0,
    /// meaning "no CPU limit": pass a null quota to SetCpu then, not 0.
    /// </summary>
    public static long QuotaFromMilli(long milli, long period = QuotaPeriod)
    {
        if (milli == 0) return 0;
        BigInteger quota = (BigInteger)milli * period / 1000;
        if (quota < MinQuotaPeriod) return MinQuotaPeriod;
        return quota > long.MaxValue ? long.MaxValue : (long)quota;
    }

    /// <summary>
    /// cgroup v2 cpu.weight from v1 cpu.shares as current runc (ConvertCPUSharesToCgroupV2Value) and crun
    /// do, replacing their earlier linear one so that the default 1024 maps to the default 100: a quadratic in log2(shares) through (2, 1), (1024, 100) and (262144, 10000):
    /// ceil(10^((l*l + 125*l)/612 - 7/34)) with l = log2(shares); 0 -> 0 (unset), at most 10000.
    /// </summary>
    public static ulong WeightFromSharesRunc(ulong shares)
    {
        if (shares == 0) return 0;
        if (shares <= MinShares) return 1;
        if (shares >= MaxShares) return 10000;
        double l = Math.Log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>The formula of a cpu.weight conversion, as -Explain and the help show it.</summary>
    public static string WeightFormula(bool runc) => runc
        ? "runc/crun: ceil(10^((l*l+125*l)/612 - 7/34)), l = log2(shares)"
        : "kubelet CpuSharesToCpuWeight: 1 + (shares-2)*9999/262142";

    /// <summary>"250m", "2", "1500m" from millicores.</summary>
    public static string FormatCpu(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>"64Mi", "1Gi" when exact, else the bytes.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = { "Ei", "Pi", "Ti", "Gi", "Mi", "Ki" };
        for (int i = 0; i < units.Length; i++)
        {
            long unit = 1L << (10 * (6 - i));
            if (bytes != 0 && bytes % unit == 0) return (bytes / unit).ToString(CultureInfo.InvariantCulture) + units[i];
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// cgroup v2 cpu.weight from v1 cpu.shares with kubelet's linear conversion (CpuSharesToCpuWeight, which kubelet
    /// applies to pod cgroups; also older runc and crun):
    /// 1 + ((shares - 2) * 9999) / 262142, mapping [2, 262144] onto [1, 10000]. As in runc, 0 -> 0 (unset).
    /// </summary>
    public static ulong WeightFromShares(ulong shares)
    {
        if (shares == 0) return 0;
        if (shares < MinShares) shares = MinShares;
        if (shares > MaxShares) shares = MaxShares;
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    // Quantity grammar: [+-] (digits[.digits] | .digits) (binarySI | decimalSI | (e|E) [+-] digits).
    // Returns the value as an exact fraction num/den.
    private static (BigInteger, BigInteger) Parse(string q, string what)
    {
        if (q is null) throw new ArgumentNullException(nameof(q));
        string s = q;
        int i = 0;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }
        int intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        string intPart = s.Substring(intStart, i - intStart);
        string fracPart = "";
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int fracStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            fracPart = s.Substring(fracStart, i - fracStart);
        }
        if (intPart.Length == 0 && fracPart.Length == 0) throw Bad(q, what);

        BigInteger num = BigInteger.Parse(intPart + fracPart is { Length: > 0 } digits ? digits : "0", CultureInfo.InvariantCulture);
        BigInteger den = BigInteger.Pow(10, fracPart.Length);

        string suffix = s.Substring(i);
        switch (suffix)
        {
            case "": break;
            case "Ki": num *= BigInteger.Pow(2, 10); break;
            case "Mi": num *= BigInteger.Pow(2, 20); break;
            case "Gi": num *= BigInteger.Pow(2, 30); break;
            case "Ti": num *= BigInteger.Pow(2, 40); break;
            case "Pi": num *= BigInteger.Pow(2, 50); break;
            case "Ei": num *= BigInteger.Pow(2, 60); break;
            case "n": den *= BigInteger.Pow(10, 9); break;
            case "u": den *= BigInteger.Pow(10, 6); break;
            case "m": den *= 1000; break;
            case "k": num *= BigInteger.Pow(10, 3); break;
            case "M": num *= BigInteger.Pow(10, 6); break;
            case "G": num *= BigInteger.Pow(10, 9); break;
            case "T": num *= BigInteger.Pow(10, 12); break;
            case "P": num *= BigInteger.Pow(10, 15); break;
            case "E": num *= BigInteger.Pow(10, 18); break;
            default:
                if ((suffix[0] == 'e' || suffix[0] == 'E') && suffix.Length > 1
                    && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exponent)
                    && IsSignedDigits(suffix.AsSpan(1)) && Math.Abs(exponent) <= 100)
                {
                    if (exponent >= 0) num *= BigInteger.Pow(10, exponent);
                    else den *= BigInteger.Pow(10, -exponent);
                    break;
                }
                throw Bad(q, what);
        }
        if (negative && !num.IsZero) throw new FormatException($"The {what} quantity '{q}' is negative; Kubernetes requires requests and limits of zero or more.");
        return (num, den);
    }

    private static bool IsSignedDigits(ReadOnlySpan<char> s)
    {
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-')) s = s.Slice(1);
        if (s.Length == 0) return false;
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static BigInteger CeilDiv(BigInteger num, BigInteger den) => BigInteger.Divide(num + den - 1, den);

    private static long ToInt64(BigInteger value, string q, string what)
    {
        if (value > long.MaxValue) throw new FormatException($"The {what} quantity '{q}' is too large.");
        return (long)value;
    }

    private static FormatException Bad(string q, string what) => new(
        $"'{q}' is not a valid {what} quantity. Use a Kubernetes quantity: a number with an optional suffix, " +
        "binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M, G, T, P, E) or an exponent (e3), for example 500m, 0.5, 256Mi, 1G, 129e6.");
}
