using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Cgroups;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>A container's cgroup as the pod cgroup plan takes it: where it is, its requests and limits, its raw values.</summary>
public sealed record PodCgroupMember(string Name, string CgroupPath, ResourceRequirements Resources, RawCgroupValues? Raw);

/// <summary>
/// Every value of a pod's cgroups as planned settings: the pod cgroup from kubelet's pod-level sums
/// (<see cref="PodCgroupPolicy"/>), each existing container leaf from <see cref="ContainerCgroupPolicy"/>, in the
/// files of the node's cgroup version. Nothing is written here (see CgroupTransaction).
/// </summary>
public static class PodCgroupPlan
{
    public static List<CgroupSetting> For(CgroupManager cgroups, string podName, string podCgroupPath, QosClass qos,
        ResourceRequirements? podResources, IReadOnlyList<PodCgroupMember> containers)
    {
        var resources = containers.Select(c => c.Resources).ToList();
        var plan = CgroupResourceFiles.Plan(cgroups, podCgroupPath, PodCgroupPolicy.For(qos, resources, podResources), podName, 0);
        foreach (var c in containers)
        {
            if (!cgroups.Exists(c.CgroupPath)) continue;
            plan.AddRange(CgroupResourceFiles.Plan(cgroups, c.CgroupPath, ContainerCgroupPolicy.For(c.Resources, c.Raw), $"{podName}/{c.Name}", 1));
        }
        return plan;
    }

    /// <summary>A memory limit below what the cgroup uses now is refused unless forced (the kernel would have to reclaim or OOM-kill).</summary>
    public static void CheckMemoryUsage(IEnumerable<CgroupSetting> plan, bool force)
    {
        if (force) return;
        foreach (var s in plan.Where(s => !s.InEffect && s.Name is "memory.limit_in_bytes" or "memory.max"))
        {
            double? limit = CgroupResourceFiles.Limit(s.Name, s.Value);
            if (limit is null || double.IsPositiveInfinity(limit.Value)) continue;
            string usageFile = Path.Combine(Path.GetDirectoryName(s.File)!, s.Name == "memory.max" ? "memory.current" : "memory.usage_in_bytes");
            if (CgroupIO.ReadInt64(usageFile) is { } usage && usage > limit)
            {
                throw new PodEngineException(ErrorIds.MemoryLimitBelowUsage, ErrorCategory.InvalidOperation, s.Target,
                    $"The memory limit {KubeQuantity.FormatBytes((long)limit.Value)} of '{s.Target}' is below what it uses now ({KubeQuantity.FormatBytes(usage)}, {usageFile}).",
                    "Raise the limit, or pass -Force to let the kernel reclaim memory (v1 refuses when it cannot; v2 OOM-kills).");
            }
        }
    }
}
