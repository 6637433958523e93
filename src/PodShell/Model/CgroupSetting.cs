namespace PodShell.Model;

/// <summary>
/// One value PodShell writes (or would write) into a cgroup file, with the quantity it came from and the formula
/// that turned it into the value: what Get-PodCgroup -Explain lists and Set-PodCgroupLimit -WhatIf announces.
/// </summary>
public sealed class CgroupSetting
{
    /// <summary>"foo" for the pod cgroup, "foo/app" for a container, "foo/pause" for the sandbox.</summary>
    public string Target { get; set; } = "";
    /// <summary>The cgroup relative to the hierarchy root ("/podshell/burstable/pod&lt;uid&gt;/app").</summary>
    public string Cgroup { get; set; } = "";
    /// <summary>cpu, memory, pids (the controller), or oom for /proc/&lt;pid&gt;/oom_score_adj.</summary>
    public string Controller { get; set; } = "";
    /// <summary>The file's name ("cpu.shares", "memory.max", "oom_score_adj").</summary>
    public string Name { get; set; } = "";
    /// <summary>The file's full path.</summary>
    public string File { get; set; } = "";
    /// <summary>The value as written.</summary>
    public string Value { get; set; } = "";
    /// <summary>What the file holds now (null when it cannot be read).</summary>
    public string? Current { get; set; }
    /// <summary>The quantity the value comes from ("cpu request 250m", "sum of memory limits 192Mi").</summary>
    public string Quantity { get; set; } = "";
    public string Formula { get; set; } = "";
    /// <summary>0 for the pod cgroup, 1 for its leaves: parents are loosened first and tightened last.</summary>
    public int Depth { get; set; }

    /// <summary>True when Current already is Value (nothing to write).</summary>
    public bool InEffect { get; set; }

    public override string ToString() => $"{File} = {Value}";
}
