using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// The pod's QoS class exactly as Kubernetes computes it (pkg/apis/core/helper/qos ComputePodQOS): every
/// container counts; pod-level resources, when given, decide instead of the containers.
/// </summary>
public static class QosPolicy
{
    /// <param name="containers">Each container's requests and limits, requests already defaulted to limits.</param>
    /// <param name="pod">Pod-level resources (spec.resources), or null.</param>
    public static QosClass Compute(IEnumerable<ResourceRequirements> containers, ResourceRequirements? pod)
    {
        long cpuRequests = 0, memoryRequests = 0, cpuLimits = 0, memoryLimits = 0;
        bool anyCpuRequest = false, anyMemoryRequest = false, anyCpuLimit = false, anyMemoryLimit = false;
        bool guaranteed = true;

        void Add(ResourceRequirements r, bool requireBothLimits)
        {
            if (r.CpuRequestMilli is > 0) { cpuRequests += r.CpuRequestMilli.Value; anyCpuRequest = true; }
            if (r.MemoryRequest is > 0) { memoryRequests += r.MemoryRequest.Value; anyMemoryRequest = true; }
            bool cpuLimit = r.CpuLimitMilli is > 0, memoryLimit = r.MemoryLimit is > 0;
            if (cpuLimit) { cpuLimits += r.CpuLimitMilli!.Value; anyCpuLimit = true; }
            if (memoryLimit) { memoryLimits += r.MemoryLimit!.Value; anyMemoryLimit = true; }
            if (requireBothLimits && !(cpuLimit && memoryLimit)) guaranteed = false;
        }

        if (pod is not null && !pod.HasNoComputeResources)
        {
            var p = pod.WithDefaultRequests();
            // Pod-level limits count only when some are given; then they must name both cpu and memory.
            Add(p, requireBothLimits: p.CpuLimitMilli is not null || p.MemoryLimit is not null);
        }
        else
        {
            foreach (var c in containers) Add(c.WithDefaultRequests(), requireBothLimits: true);
        }

        if (!anyCpuRequest && !anyMemoryRequest && !anyCpuLimit && !anyMemoryLimit) return QosClass.BestEffort;
        if (guaranteed)
        {
            // Every request must have an equal limit, and there must be as many limits as requests.
            if (anyCpuRequest && (!anyCpuLimit || cpuLimits != cpuRequests)) guaranteed = false;
            if (anyMemoryRequest && (!anyMemoryLimit || memoryLimits != memoryRequests)) guaranteed = false;
            int requests = (anyCpuRequest ? 1 : 0) + (anyMemoryRequest ? 1 : 0);
            int limits = (anyCpuLimit ? 1 : 0) + (anyMemoryLimit ? 1 : 0);
            if (requests != limits) guaranteed = false;
        }
        return guaranteed ? QosClass.Guaranteed : QosClass.Burstable;
    }
}
