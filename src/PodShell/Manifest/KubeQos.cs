using System.Collections.Generic;
using System.Linq;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>The QoS class of a pod spec, as Kubernetes computes it (pkg/apis/core/helper/qos: every container, init ones too).</summary>
public static class KubeQos
{
    public sealed record Resources(long? CpuRequest, long? CpuLimit, long? MemoryRequest, long? MemoryLimit);

    public static QosClass Compute(IReadOnlyCollection<Resources> containers)
    {
        var anySet = containers.Any(c => c.CpuRequest is > 0 || c.CpuLimit is > 0 || c.MemoryRequest is > 0 || c.MemoryLimit is > 0);
        if (!anySet) return QosClass.BestEffort;
        var guaranteed = containers.All(c =>
            c.CpuLimit is > 0 && c.MemoryLimit is > 0
            && (c.CpuRequest ?? c.CpuLimit) == c.CpuLimit
            && (c.MemoryRequest ?? c.MemoryLimit) == c.MemoryLimit);
        return guaranteed ? QosClass.Guaranteed : QosClass.Burstable;
    }
}
