using System.Globalization;

namespace PodShell.Model;

/// <summary>How the format views write quantities: Kubernetes' own units.</summary>
public static class Views
{
    /// <summary>500 -> "0.5", 1000 -> "1", 250 -> "250m" (cores when the value is a tenth or more).</summary>
    public static string FormatCpu(long milli)
    {
        if (milli % 100 == 0) return (milli / 1000m).ToString("0.#", CultureInfo.InvariantCulture);
        return milli.ToString(CultureInfo.InvariantCulture) + "m";
    }

    /// <summary>A cgroup's cpu quota as cores: 50000/100000 -> "0.5 cpu", unlimited -> "max".</summary>
    public static string FormatCpuQuota(long? quota, long? period)
    {
        if (period is null or <= 0) return "";
        if (quota is null or < 0) return "max";
        var milli = quota.Value * 1000 / period.Value;
        return FormatCpu(milli) + " cpu";
    }
}
