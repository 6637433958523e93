namespace PodShell.Model;

/// <summary>
/// Requests and limits of a container or of a whole pod (Kubernetes' resources.requests/limits, plus a pids
/// limit). Null means "not given". CPU is in millicores, memory in bytes.
/// </summary>
public sealed class ResourceRequirements
{
    public long? CpuRequestMilli { get; set; }
    public long? CpuLimitMilli { get; set; }
    public long? MemoryRequest { get; set; }
    public long? MemoryLimit { get; set; }
    public long? PidsLimit { get; set; }

    /// <summary>True when neither a cpu nor a memory request or limit is given (pids do not count for QoS).</summary>
    public bool HasNoComputeResources =>
        CpuRequestMilli is null && CpuLimitMilli is null && MemoryRequest is null && MemoryLimit is null;

    /// <summary>Kubernetes' defaulting: a request left out equals the limit when a limit is given.</summary>
    public ResourceRequirements WithDefaultRequests() => new()
    {
        CpuRequestMilli = CpuRequestMilli ?? CpuLimitMilli,
        CpuLimitMilli = CpuLimitMilli,
        MemoryRequest = MemoryRequest ?? MemoryLimit,
        MemoryLimit = MemoryLimit,
        PidsLimit = PidsLimit,
    };

    public ResourceRequirements Clone() => (ResourceRequirements)MemberwiseClone();

    public override string ToString()
    {
        static string Cpu(long? m) => m is null ? "-" : m.Value % 1000 == 0 ? (m.Value / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m";
        static string Mem(long? b) => b is null ? "-" : CgroupNode.FormatBytes(b);
        return $"cpu {Cpu(CpuRequestMilli)}/{Cpu(CpuLimitMilli)}, memory {Mem(MemoryRequest)}/{Mem(MemoryLimit)}" + (PidsLimit is null ? "" : $", pids {PidsLimit}");
    }
}
