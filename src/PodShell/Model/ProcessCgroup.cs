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

    public override string ToString() => $"{HierarchyId}:{Controllers}:{Path}";
}
