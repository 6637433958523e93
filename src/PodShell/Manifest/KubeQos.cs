using System.Collections.Generic;
using System.Linq;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>The QoS class of a pod spec, as Kubernetes computes it (pkg/apis/core/helper/qos: every container, init ones too).</summary>
public static class KubeQos
{
    public sealed record Resources(long? CpuRequest, long? CpuLimit, long? MemoryRequest, long? MemoryLimit);

    /// <summary>The engines' own rule (QosPolicy), so a manifest's class is the one the pod gets.</summary>
    public static QosClass Compute(IReadOnlyCollection<Resources> containers, ResourceRequirements? pod = null) =>
        Engine.QosPolicy.Compute(containers.Select(c => new ResourceRequirements
        {
            CpuRequestMilli = c.CpuRequest, CpuLimitMilli = c.CpuLimit, MemoryRequest = c.MemoryRequest, MemoryLimit = c.MemoryLimit,
        }), pod);
}
