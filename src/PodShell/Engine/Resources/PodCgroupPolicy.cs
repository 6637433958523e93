using System.Collections.Generic;
using System.Linq;
using PodShell.Cgroups;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// The pod cgroup as kubelet sets it (pkg/kubelet/cm ResourceConfigForPod): cpu shares from the sum of the
/// requests; CFS quota and memory limit from the sum of the limits, but only when every container declares
/// that limit (Guaranteed pods always do), or from pod-level resources when given; BestEffort pods get
/// shares 2 only. The pids limit is PodShell's pod pids limit (kubelet's --pod-max-pids).
/// </summary>
public static class PodCgroupPolicy
{
    public static CgroupResourceConfig For(QosClass qos, IReadOnlyCollection<ResourceRequirements> containers, ResourceRequirements? pod)
    {
        var all = containers.Select(c => c.WithDefaultRequests()).ToList();
        var level = pod?.WithDefaultRequests();
        var config = new CgroupResourceConfig { WeightFormula = CpuWeightFormula.KubeletLinear };

        (long cpuRequest, string cpuRequestFrom) = level?.CpuRequestMilli is { } pr
            ? (pr, $"pod cpu request {KubeQuantity.FormatCpu(pr)}")
            : (all.Sum(c => c.CpuRequestMilli ?? 0), $"sum of cpu requests {KubeQuantity.FormatCpu(all.Sum(c => c.CpuRequestMilli ?? 0))}");
        bool cpuDeclared = all.All(c => c.CpuLimitMilli is > 0);
        bool memoryDeclared = all.All(c => c.MemoryLimit is > 0);
        long cpuLimit = all.Sum(c => c.CpuLimitMilli ?? 0);
        long memoryLimit = all.Sum(c => c.MemoryLimit ?? 0);
        string cpuLimitFrom = $"sum of cpu limits {KubeQuantity.FormatCpu(cpuLimit)}";
        string memoryLimitFrom = $"sum of memory limits {KubeQuantity.FormatBytes(memoryLimit)}";
        if (level?.CpuLimitMilli is > 0 and var pcl)
        {
            cpuDeclared = true;
            cpuLimit = pcl;
            cpuLimitFrom = $"pod cpu limit {KubeQuantity.FormatCpu(cpuLimit)}";
        }
        if (level?.MemoryLimit is > 0 and var pml)
        {
            memoryDeclared = true;
            memoryLimit = pml;
            memoryLimitFrom = $"pod memory limit {KubeQuantity.FormatBytes(memoryLimit)}";
        }

        if (qos == QosClass.BestEffort)
        {
            config.CpuShares = KubeQuantity.MinShares;
            config.SharesSource = new ValueSource("BestEffort pod", "kubelet MinShares: 2");
            config.QuotaSource = new ValueSource("BestEffort pod", "unlimited");
            config.MemorySource = new ValueSource("BestEffort pod", "unlimited");
        }
        else
        {
            config.CpuShares = KubeQuantity.SharesFromMilli(cpuRequest);
            config.SharesSource = new ValueSource(cpuRequestFrom, ContainerCgroupPolicy.SharesFormula);
            bool setQuota = qos == QosClass.Guaranteed || cpuDeclared;
            bool setMemory = qos == QosClass.Guaranteed || memoryDeclared;
            // A quota or limit of 0 (no container yet) is not written by runc's cgroup manager: unlimited.
            if (setQuota && cpuLimit > 0)
            {
                config.CpuQuota = KubeQuantity.QuotaFromMilli(cpuLimit);
                config.QuotaSource = new ValueSource(cpuLimitFrom, ContainerCgroupPolicy.QuotaFormula);
            }
            else
            {
                config.QuotaSource = new ValueSource(setQuota ? "no cpu limit yet" : "a container without a cpu limit", "unlimited");
            }
            if (setMemory && memoryLimit > 0)
            {
                config.MemoryLimit = memoryLimit;
                config.MemorySource = new ValueSource(memoryLimitFrom, "the limit in bytes");
            }
            else
            {
                config.MemorySource = new ValueSource(setMemory ? "no memory limit yet" : "a container without a memory limit", "unlimited");
            }
        }

        config.PidsLimit = pod?.PidsLimit is > 0 ? pod.PidsLimit : null;
        config.PidsSource = config.PidsLimit is { } p ? new ValueSource($"pod pids limit {p}", "the limit") : new ValueSource("no pod pids limit", "unlimited");
        return config;
    }

    /// <summary>The pause leaf: the kernel's defaults; only its oom_score_adj (-998) is set.</summary>
    public static CgroupResourceConfig Pause() => new() { WriteNothing = true };
}
