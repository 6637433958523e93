using System.Collections.Generic;
using PodShell.Cgroups;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>Raw values a user set on a container with Set-PodCgroupLimit, beyond requests and limits.</summary>
public sealed class RawCgroupValues
{
    public ulong? CpuShares { get; set; }
    public ulong? CpuWeight { get; set; }
    public Dictionary<string, string> Unified { get; set; } = new();
}

/// <summary>
/// A container's cgroup as kubelet asks the runtime for it (kuberuntime generateLinuxContainerResources) and runc
/// writes it: shares from the cpu request (from the limit when there is no request; 2 when neither), CFS quota
/// from the cpu limit with period 100000, the memory limit, and PodShell's per-container pids limit.
/// </summary>
public static class ContainerCgroupPolicy
{
    public const string SharesFormula = "kubelet MilliCPUToShares: milli*1024/1000 clamped to [2, 262144]";
    public const string QuotaFormula = "kubelet MilliCPUToQuota: milli*100000/1000, at least 1000; period 100000";

    public static CgroupResourceConfig For(ResourceRequirements resources, RawCgroupValues? raw = null)
    {
        var r = resources.WithDefaultRequests();
        var config = new CgroupResourceConfig { WeightFormula = CpuWeightFormula.RuncQuadratic };

        long? sharesFrom = r.CpuRequestMilli is > 0 ? r.CpuRequestMilli : r.CpuLimitMilli is > 0 ? r.CpuLimitMilli : null;
        if (raw?.CpuShares is { } shares)
        {
            config.CpuShares = shares;
            config.SharesSource = new ValueSource($"cpu.shares {shares}", "set with Set-PodCgroupLimit -CpuShares");
        }
        else if (sharesFrom is { } milli)
        {
            config.CpuShares = KubeQuantity.SharesFromMilli(milli);
            config.SharesSource = new ValueSource($"cpu request {KubeQuantity.FormatCpu(milli)}", SharesFormula);
        }
        else
        {
            config.CpuShares = KubeQuantity.MinShares;
            config.SharesSource = new ValueSource("no cpu request", "kubelet MinShares: 2");
        }
        if (raw?.CpuWeight is { } weight) config.CpuWeight = weight;

        if (r.CpuLimitMilli is > 0 and var limit)
        {
            config.CpuQuota = KubeQuantity.QuotaFromMilli(limit);
            config.QuotaSource = new ValueSource($"cpu limit {KubeQuantity.FormatCpu(limit)}", QuotaFormula);
        }
        else
        {
            config.QuotaSource = new ValueSource("no cpu limit", "unlimited");
        }

        config.MemoryLimit = r.MemoryLimit is > 0 ? r.MemoryLimit : null;
        config.MemorySource = config.MemoryLimit is { } m
            ? new ValueSource($"memory limit {KubeQuantity.FormatBytes(m)}", "the limit in bytes")
            : new ValueSource("no memory limit", "unlimited");

        config.PidsLimit = r.PidsLimit is > 0 ? r.PidsLimit : null;
        config.PidsSource = config.PidsLimit is { } p
            ? new ValueSource($"pids limit {p}", "the limit")
            : new ValueSource("no pids limit", "unlimited");

        if (raw is not null) config.Unified = new Dictionary<string, string>(raw.Unified);
        return config;
    }
}
