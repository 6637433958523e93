using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Native;

public sealed partial class NativeEngine
{
    /// <summary>
    /// Writes the container leaf's new cpu, memory and pids values, records them, and recomputes the pod cgroup
    /// from every container (kubelet's pod-level sums), as kubelet does for an in-place resize.
    /// </summary>
    public PodContainer UpdateResources(string podName, string name, ResourceUpdate update, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        var target = $"{podName}/{name}";
        RejectUnsupported(update, target);
        using (_store.LockPod(podName, LockTimeout))
        {
            RequireContainer(pod, name);
            var record = _store.ReadContainer(pod.Name, name) ?? throw PodEngineException.ContainerNotFound(pod.Name, name);
            if (pod.QosClass == QosClass.BestEffort && (update.CpuLimitMilli is not null || update.MemoryLimit is not null))
            {
                throw new PodEngineException(ErrorIds.QosClassMismatch, ErrorCategory.InvalidArgument, target,
                    $"Pod '{pod.Name}' is BestEffort: its containers cannot have limits (a resize never changes a pod's QoS class).",
                    "Recreate the pod with -QosClass Burstable to give its containers limits.");
            }
            cancel.ThrowIfCancellationRequested();
            if (update.MemoryLimit is { } memory)
            {
                if (!update.Force && Cgroups.ReadMemoryUsage(record.CgroupPath) is { } usage && usage > memory)
                {
                    throw new PodEngineException(ErrorIds.MemoryLimitBelowUsage, ErrorCategory.InvalidOperation, target,
                        $"Container '{name}' of pod '{podName}' uses {usage} bytes of memory, more than the new limit of {memory} bytes.",
                        "Choose a higher limit, or pass -Force to set it anyway (the kernel then reclaims memory or OOM-kills).");
                }
                Cgroups.SetMemoryLimit(record.CgroupPath, memory);
                record.MemoryLimit = memory;
            }
            if (update.CpuLimitMilli is { } milli)
            {
                Cgroups.SetCpu(record.CgroupPath, KubeQuantity.QuotaFromMilli(milli), KubeQuantity.QuotaPeriod, KubeQuantity.SharesFromMilli(milli));
                record.CpuLimitMilli = milli;
            }
            if (update.PidsLimit is { } pids)
            {
                record.PidsLimit = pids < 0 ? null : pids;
                Cgroups.SetPidsLimit(record.CgroupPath, record.PidsLimit);
            }
            _store.WriteContainer(pod.Name, record);
            UpdatePodCgroupLimits(pod);
            return ToContainer(pod, name)!;
        }
    }

    /// <summary>What the native engine cannot change live yet: an error naming it rather than a silent no-op.</summary>
    private static void RejectUnsupported(ResourceUpdate update, string target)
    {
        var unsupported = new List<string>();
        if (update.CpuRequestMilli is not null) unsupported.Add("cpu request");
        if (update.MemoryRequest is not null) unsupported.Add("memory request");
        if (update.CpuShares is not null) unsupported.Add("cpu shares");
        if (update.CpuWeight is not null) unsupported.Add("cpu weight");
        if (update.Unified is { Count: > 0 }) unsupported.Add("raw cgroup v2 files");
        if (unsupported.Count > 0)
        {
            throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.NotImplemented, target,
                $"The native engine cannot change a container's {string.Join(", ", unsupported)} live.",
                "Change the cpu limit, memory limit or pids limit, or recreate the container.");
        }
        if (update.CpuLimitMilli is <= 0 || update.MemoryLimit is <= 0 || update.PidsLimit is 0)
        {
            throw new PodEngineException(ErrorIds.InvalidQuantity, ErrorCategory.InvalidArgument, target,
                "Cpu and memory limits must be greater than zero, and a pids limit positive (or -1 for none).");
        }
    }
}
