namespace PodShell.Model;

/// <summary>One line of /proc/&lt;pid&gt;/cgroup: the cgroup a process belongs to in one hierarchy.</summary>
public sealed class ProcessCgroup
{
    public int ProcessId { get; set; }

    /// <summary>The hierarchy id (0 for the unified v2 hierarchy).</summary>
    public int HierarchyId { get; set; }

    /// <summary>As the kernel prints it: "memory", "cpu,cpuacct", "name=systemd"; empty for the unified hierarchy.</summary>
    public string Controllers { get; set; } = "";

    /// <summary>The cgroup relative to the hierarchy's root, as the kernel prints it ("/podshell/pod1/app").</summary>
    public string Path { get; set; } = "/";

    /// <summary>1, or 2 for the unified hierarchy.</summary>
    public int Version { get; set; }

    /// <summary>The cgroup's folder where its hierarchy is mounted, when found.</summary>
    public string? FullPath { get; set; }

    /// <summary>The cgroup's own memory limit (memory controller's line, or the unified one on v2); null when none.</summary>
    public long? MemoryLimit { get; set; }
    /// <summary>The limit that binds the process: the tightest of its own and its ancestors'.</summary>
    public long? EffectiveMemoryLimit { get; set; }
    /// <summary>The cgroup (as in Path) whose limit binds; null when nothing limits memory.</summary>
    public string? EffectiveMemoryLimitPath { get; set; }

    /// <summary>The own CFS bandwidth in cores (quota/period); null when unlimited.</summary>
    public double? CpuLimit { get; set; }
    public double? EffectiveCpuLimit { get; set; }
    public string? EffectiveCpuLimitPath { get; set; }
    /// <summary>v1 cpu.shares of its own cgroup.</summary>
    public ulong? CpuShares { get; set; }
    /// <summary>v2 cpu.weight of its own cgroup.</summary>
    public ulong? CpuWeight { get; set; }

    public long? PidsLimit { get; set; }
    public long? EffectivePidsLimit { get; set; }
    public string? EffectivePidsLimitPath { get; set; }

    /// <summary>The limits of this line's controllers in a few words, with the binding ancestor where that is tighter.</summary>
    public string Limits
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (EffectiveMemoryLimitPath is not null || MemoryLimit is not null)
                parts.Add($"memory {(MemoryLimit is null ? "max" : CgroupNode.FormatBytes(MemoryLimit))}" +
                          (EffectiveMemoryLimitPath is not null && EffectiveMemoryLimitPath != Path ? $", {CgroupNode.FormatBytes(EffectiveMemoryLimit)} at {EffectiveMemoryLimitPath}" : ""));
            if (EffectiveCpuLimitPath is not null || CpuLimit is not null)
                parts.Add($"cpu {(CpuLimit is null ? "max" : Cores(CpuLimit.Value))}" +
                          (EffectiveCpuLimitPath is not null && EffectiveCpuLimitPath != Path ? $", {Cores(EffectiveCpuLimit!.Value)} at {EffectiveCpuLimitPath}" : ""));
            if (CpuShares is not null) parts.Add($"shares {CpuShares}");
            if (CpuWeight is not null) parts.Add($"weight {CpuWeight}");
            if (EffectivePidsLimitPath is not null || PidsLimit is not null)
                parts.Add($"pids {(PidsLimit is null ? "max" : PidsLimit.ToString())}" +
                          (EffectivePidsLimitPath is not null && EffectivePidsLimitPath != Path ? $", {EffectivePidsLimit} at {EffectivePidsLimitPath}" : ""));
            return string.Join("; ", parts);
        }
    }

    private static string Cores(double cores) => cores.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " cpu";

    public override string ToString() => $"{HierarchyId}:{Controllers}:{Path}";
}
