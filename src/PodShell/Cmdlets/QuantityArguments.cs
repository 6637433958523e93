using System;
using System.Text.RegularExpressions;
using PodShell.Cgroups;

namespace PodShell.Cmdlets;

/// <summary>Quantity parameters as users type them: Kubernetes quantities, and PowerShell's 256MB.</summary>
internal static class QuantityArguments
{
    public const string Advice = "Give memory as bytes or a quantity such as 256Mi, 256MB or 1G, and cpu as cores (0.5) or millicores (500m).";

    private static readonly Regex PowerShellMultiplier =
        new(@"^\s*(\d+(?:\.\d+)?)\s*([KMGTP])B\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// A bare 256MB reaches a string parameter as its text, not as PowerShell's number: read PowerShell's
    /// binary multipliers (KB..PB = 1024^n) as Kubernetes' Ki..Pi. "MB" is no Kubernetes suffix, so nothing clashes.
    /// </summary>
    public static string FromPowerShellMultiplier(string text)
    {
        var match = PowerShellMultiplier.Match(text);
        return match.Success ? match.Groups[1].Value + match.Groups[2].Value.ToUpperInvariant() + "i" : text;
    }

    /// <summary>Bytes; throws FormatException naming the quantity.</summary>
    public static long? Memory(string? text) => text is null ? null : KubeQuantity.ParseBytes(FromPowerShellMultiplier(text));

    /// <summary>Millicores; throws FormatException naming the quantity, also for one above 0 but below 1m (0 is no limit).</summary>
    public static long? Cpu(string? text)
    {
        if (text is null) return null;
        long milli = KubeQuantity.ParseCpuMilli(text);
        if (KubeQuantity.IsBelowOneMilliCpu(text))
        {
            throw new FormatException($"The CPU quantity '{text}' is below 1m (0.001 of a core), the smallest CPU amount Kubernetes accepts: give at least 1m, or 0 for no limit.");
        }
        return milli;
    }
}
