using System;

namespace PodShell.Model;

/// <summary>
/// Resource usage of one container (or, with Get-PodStats -ByPod, one whole pod) over an interval, as crictl stats
/// and docker stats report it: cpu from the cgroup's cumulative usage, memory as kubelet's working set.
/// </summary>
public sealed class PodStats
{
    public string PodName { get; set; } = "";
    /// <summary>The container; empty for a pod row.</summary>
    public string Name { get; set; } = "";
    public string CgroupPath { get; set; } = "";
    /// <summary>CPU used over the interval, in percent of one core (200 = two cores busy), like docker stats.</summary>
    public double? CpuPercent { get; set; }
    /// <summary>CPU used over the interval, in cores.</summary>
    public double? CpuCores => CpuPercent / 100;
    /// <summary>Cumulative CPU time of the cgroup (cpuacct.usage, or usage_usec of cpu.stat on v2), in nanoseconds.</summary>
    public ulong? CpuUsageNanoseconds { get; set; }
    /// <summary>usage minus inactive file pages (kubelet's and crictl's "memory working set"), in bytes.</summary>
    public long? MemoryWorkingSet { get; set; }
    /// <summary>memory.usage_in_bytes (v1) or memory.current (v2).</summary>
    public long? MemoryUsage { get; set; }
    /// <summary>The cgroup's own memory limit; null when it has none.</summary>
    public long? MemoryLimit { get; set; }
    /// <summary>The working set in percent of the limit; null without a limit.</summary>
    public double? MemoryPercent => MemoryLimit is > 0 && MemoryWorkingSet is { } ws ? 100.0 * ws / MemoryLimit.Value : null;
    /// <summary>pids.current.</summary>
    public long? Pids { get; set; }
    public long? PidsLimit { get; set; }
    /// <summary>The interval the CPU figure covers.</summary>
    public TimeSpan Interval { get; set; }
    public DateTimeOffset Timestamp { get; set; }

    public override string ToString() => Name.Length == 0 ? PodName : $"{PodName}/{Name}";
}
