using System;
using System.Collections.Generic;
using System.Linq;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>kubelet's oom_score_adj per QoS class (pkg/kubelet/qos/policy.go).</summary>
public static class OomScorePolicy
{
    public const int Guaranteed = -997;
    public const int BestEffort = 1000;
    public const int Pause = -998;
    /// <summary>The lowest value of a Burstable container: 1000 + Guaranteed.</summary>
    public const int BurstableMin = 1000 + Guaranteed;
    public const int BurstableMax = BestEffort - 1;

    /// <summary>
    /// Guaranteed -997, BestEffort 1000, Burstable 1000 - 1000*memoryRequest/nodeMemory (integer division),
    /// at least 3 and at most 999. With a pod-level memory request, what it leaves beyond the containers' own
    /// requests is shared evenly among the containers (kubelet's PodLevelResources rule).
    /// </summary>
    public static int ForContainer(QosClass qos, ResourceRequirements container, IReadOnlyCollection<ResourceRequirements> allContainers,
        ResourceRequirements? pod, long nodeMemory)
    {
        switch (qos)
        {
            case QosClass.Guaranteed: return Guaranteed;
            case QosClass.BestEffort: return BestEffort;
        }
        if (nodeMemory <= 0) throw new ArgumentOutOfRangeException(nameof(nodeMemory), nodeMemory, "The node's memory must be positive.");
        long request = EffectiveMemoryRequest(container, allContainers, pod);
        long adjust = 1000 - (long)((System.Numerics.BigInteger)1000 * request / nodeMemory);
        if (adjust < BurstableMin) return BurstableMin;
        if (adjust >= BestEffort) return BurstableMax;
        return (int)adjust;
    }

    /// <summary>The memory request that counts for a Burstable container's score.</summary>
    public static long EffectiveMemoryRequest(ResourceRequirements container, IReadOnlyCollection<ResourceRequirements> allContainers, ResourceRequirements? pod)
    {
        long own = container.WithDefaultRequests().MemoryRequest ?? 0;
        var podRequest = pod?.WithDefaultRequests().MemoryRequest;
        if (podRequest is null || allContainers.Count == 0) return own;
        long claimed = allContainers.Sum(c => c.WithDefaultRequests().MemoryRequest ?? 0);
        long remaining = Math.Max(0, podRequest.Value - claimed);
        return own + remaining / allContainers.Count;
    }

    /// <summary>The formula as text, for -Explain.</summary>
    public static string Formula(QosClass qos) => qos switch
    {
        QosClass.Guaranteed => "Guaranteed: -997",
        QosClass.BestEffort => "BestEffort: 1000",
        _ => "Burstable: 1000 - 1000*memoryRequest/nodeMemory, clamped to [3, 999]",
    };
}
