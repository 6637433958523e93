using System.Collections.Generic;

namespace PodShell.Engine;

/// <summary>A live change of a container's resources; a null member leaves that value as it is.</summary>
public sealed class ResourceUpdate
{
    public long? CpuRequestMilli { get; set; }
    public long? CpuLimitMilli { get; set; }
    public long? MemoryRequest { get; set; }
    /// <summary>Bytes.</summary>
    public long? MemoryLimit { get; set; }
    /// <summary>The most processes (and threads) the container may have; -1 for no limit.</summary>
    public long? PidsLimit { get; set; }
    public ulong? CpuShares { get; set; }
    public ulong? CpuWeight { get; set; }
    /// <summary>Raw cgroup v2 files and their values.</summary>
    public IReadOnlyDictionary<string, string>? Unified { get; set; }
    /// <summary>Allow a memory limit below the container's current usage.</summary>
    public bool Force { get; set; }

    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty =>
        CpuRequestMilli is null && CpuLimitMilli is null && MemoryRequest is null && MemoryLimit is null &&
        PidsLimit is null && CpuShares is null && CpuWeight is null && (Unified is null || Unified.Count == 0);
}
