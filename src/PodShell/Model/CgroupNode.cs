using System;
using System.Globalization;

namespace PodShell.Model;

/// <summary>One cgroup in one hierarchy, with its processes and its key limits and usage.</summary>
public sealed class CgroupNode
{
    /// <summary>The cgroup relative to its hierarchy's root, starting with "/" ("/podshell/pod1/app").</summary>
    public string Path { get; set; } = "/";

    /// <summary>The cgroup's folder on disk.</summary>
    public string FullPath { get; set; } = "";

    /// <summary>The hierarchy's controllers ("memory", "cpu,cpuacct", "name=systemd") or "unified" for v2.</summary>
    public string Hierarchy { get; set; } = "";

    /// <summary>1 or 2.</summary>
    public int Version { get; set; }

    public int[] ProcessIds { get; set; } = Array.Empty<int>();

    /// <summary>Bytes; null when unlimited (or when the hierarchy has no memory controller).</summary>
    public long? MemoryLimit { get; set; }

    public long? MemoryUsage { get; set; }

    /// <summary>Microseconds per period; null when unlimited.</summary>
    public long? CpuQuota { get; set; }

    public long? CpuPeriod { get; set; }

    /// <summary>v1 cpu.shares.</summary>
    public ulong? CpuShares { get; set; }

    /// <summary>v2 cpu.weight.</summary>
    public ulong? CpuWeight { get; set; }

    /// <summary>null when unlimited.</summary>
    public long? PidsLimit { get; set; }

    public long? PidsCurrent { get; set; }

    /// <summary>0 for the cgroup asked for, one more per level below it (for the tree view).</summary>
    public int Depth { get; set; }

    /// <summary>
    /// The name drawn as a tree line like systemd-cgls ("│ ├─app"), filled in by -Recurse; the Path
    /// itself for the top node.
    /// </summary>
    public string TreeLabel { get; set; } = "";

    /// <summary>The last segment of Path ("/" for a root).</summary>
    public string Name => Path == "/" ? "/" : Path.Substring(Path.LastIndexOf('/') + 1);

    public override string ToString() => $"{Hierarchy}:{Path}";

    /// <summary>1536 -> "1.5Ki", 268435456 -> "256Mi", null -> "".</summary>
    public static string FormatBytes(long? bytes)
    {
        if (bytes is null) return "";
        string[] units = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
        double value = bytes.Value;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        string number = unit == 0 || value == Math.Floor(value)
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.#", CultureInfo.InvariantCulture);
        return number + units[unit];
    }
}
