using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Native;

/// <summary>
/// Requests, limits and QoS on the native engine: the pod's cgroup sits where its computed class puts it and moves
/// (with its processes) when the class changes; every value is planned by the policies in Engine/ and written all
/// or nothing.
/// </summary>
public sealed partial class NativeEngine : IPodResourcePlanner
{
    private List<ContainerRecord> ContainerRecords(PodRecord pod) =>
        _store.ListContainerNames(pod.Name).Select(n => _store.ReadContainer(pod.Name, n)).OfType<ContainerRecord>().ToList();

    private QosClass ComputeClass(PodRecord pod, IEnumerable<ContainerRecord> containers)
    {
        if (pod.AssertedQosClass is { } asserted && !containers.Any() && (pod.Resources is null || pod.Resources.HasNoComputeResources))
        {
            // An empty pod waits where its asserted class will put it, so its first containers need no move.
            return asserted;
        }
        return QosPolicy.Compute(containers.Select(c => c.ToResources()), pod.Resources);
    }

    /// <summary>The values of every cgroup of the pod (pod, pause, each container), as planned settings.</summary>
    private List<CgroupSetting> PlanPod(PodRecord pod, IReadOnlyList<ContainerRecord> containers) => PodCgroups.Plan(pod, containers);

    /// <summary>Writes the pod's and its containers' cgroup values all or nothing; a refused write becomes CgroupWriteFailed.</summary>
    private void ApplyPodResources(PodRecord pod)
    {
        var containers = ContainerRecords(pod);
        List<CgroupSetting> plan;
        try
        {
            plan = PlanPod(pod, containers);
        }
        catch (NotSupportedException e)
        {
            throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.InvalidArgument, pod.Name, e.Message);
        }
        try
        {
            CgroupTransaction.Apply(plan);
        }
        catch (CgroupWriteException e)
        {
            throw new PodEngineException(ErrorIds.CgroupWriteFailed, ErrorCategory.WriteError, e.Failed.Target, e.Message,
                "Nothing was changed. Check the value against the kernel's rules (a container's cpu limit cannot exceed its pod's; memory cannot shrink below what the kernel can reclaim).", e);
        }
        UpdateOomScores(pod, containers);
    }

    /// <summary>
    /// kubelet sets oom_score_adj once per container start; here a class change or a new memory request changes it
    /// for running containers too, for every process in the container's cgroup.
    /// </summary>
    private void UpdateOomScores(PodRecord pod, IReadOnlyList<ContainerRecord> containers)
    {
        var resources = containers.Select(c => c.ToResources()).ToList();
        foreach (var c in containers)
        {
            if (string.IsNullOrEmpty(c.CgroupPath) || !Cgroups.Exists(c.CgroupPath)) continue;
            int score = OomScorePolicy.ForContainer(pod.QosClass, c.ToResources(), resources, pod.Resources, NodeMemory.Total);
            foreach (var pid in Cgroups.GetProcesses(c.CgroupPath)) OomScore.TryWrite(pid, score);
        }
    }

    /// <summary>After a container left (or failed to be made): the pod goes where its remaining containers put it, with their values.</summary>
    private void RestorePodResources(PodRecord pod)
    {
        EnsurePodPlacement(pod);
        ApplyPodResources(pod);
    }

    /// <summary>The class the pod's containers make it; moves the pod's cgroup there, with its processes, when it differs.</summary>
    private void EnsurePodPlacement(PodRecord pod)
    {
        var containers = ContainerRecords(pod);
        var qos = ComputeClass(pod, containers);
        if (qos == pod.QosClass) return;
        PodCgroups.Move(pod, containers, qos, CgroupRootName);
    }

}

public sealed partial class NativeEngine
{
    /// <summary>
    /// Set-PodCgroupLimit: changes a container's (or, with an empty container name, the pod's own) requests, limits
    /// and raw values, recomputes the pod cgroup, and writes everything all or nothing. As in Kubernetes' in-place
    /// resize the QoS class may not change.
    /// </summary>
    public PodContainer UpdateResources(string podName, string container, ResourceUpdate update, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        using (_store.LockPod(podName, LockTimeout))
        {
            pod = LoadPod(podName);
            var (containers, plan) = PrepareUpdate(pod, container, update);
            try
            {
                CgroupTransaction.Apply(plan);
            }
            catch (CgroupWriteException e)
            {
                throw new PodEngineException(ErrorIds.CgroupWriteFailed, ErrorCategory.WriteError, e.Failed.Target, e.Message,
                    "Nothing was changed. A container's cpu limit cannot exceed its pod's on cgroup v1, and memory cannot shrink below what the kernel can reclaim.", e);
            }
            _store.WritePod(pod);
            foreach (var c in containers) _store.WriteContainer(pod.Name, c);
            UpdateOomScores(pod, containers);
            if (string.IsNullOrEmpty(container)) return ToContainer(pod, containers.FirstOrDefault()?.Name ?? "")!;
            return ToContainer(pod, container)!;
        }
    }

    public IReadOnlyList<CgroupSetting> PlanResourceUpdate(string podName, string? container, ResourceUpdate update)
    {
        var pod = LoadPod(podName);
        return CgroupTransaction.Order(PrepareUpdate(pod, container, update).Plan);
    }

    /// <summary>The records as they will be after the update (not yet saved) and the writes, validated.</summary>
    private (List<ContainerRecord> Containers, List<CgroupSetting> Plan) PrepareUpdate(PodRecord pod, string? container, ResourceUpdate update)
    {
        var containers = ContainerRecords(pod);
        bool podLevel = string.IsNullOrEmpty(container);
        ContainerRecord? target = null;
        string targetName = podLevel ? pod.Name : $"{pod.Name}/{container}";
        if (!podLevel)
        {
            target = containers.FirstOrDefault(c => c.Name == container) ?? throw PodEngineException.ContainerNotFound(pod.Name, container!);
        }

        var before = podLevel ? (pod.Resources ?? new ResourceRequirements()) : target!.ToResources();
        var after = ResourceRules.Merge(before, update);
        ResourceRules.Validate(after, targetName);
        if (podLevel)
        {
            if (ResourceRules.SetsRawValues(update))
            {
                throw new PodEngineException(ErrorIds.RawValueNeedsContainer, ErrorCategory.InvalidArgument, targetName,
                    "-CpuShares, -CpuWeight and -Unified set a container's own cgroup files; the pod cgroup's values follow from its containers and pod-level resources.",
                    "Name the container (-Container), or pipe it from Get-PodContainer.");
            }
            pod.Resources = after;
        }
        else
        {
            target!.CpuRequestMilli = after.CpuRequestMilli;
            target.CpuLimitMilli = after.CpuLimitMilli;
            target.MemoryRequest = after.MemoryRequest;
            target.MemoryLimit = after.MemoryLimit;
            target.PidsLimit = after.PidsLimit;
            if (ResourceRules.SetsRawValues(update))
            {
                target.RawCgroup = ResourceRules.MergeRaw(target.RawCgroup, update, targetName, Cgroups.FileSystem.FindController(CpuController.Name)?.Version == 2);
            }
        }

        var qos = ComputeClass(pod, containers);
        if (qos != pod.QosClass)
        {
            throw new PodEngineException(ErrorIds.QosClassChange, ErrorCategory.InvalidOperation, targetName,
                $"With these values pod '{pod.Name}' would become {qos} instead of {pod.QosClass}; like Kubernetes' in-place resize, Set-PodCgroupLimit keeps the QoS class.",
                pod.QosClass == QosClass.Guaranteed ? "Keep requests equal to limits (-Cpu and -Memory change both while they are equal)." : "Change requests and limits so the class stays the same, or recreate the container.");
        }

        List<CgroupSetting> plan;
        try
        {
            plan = PlanPod(pod, containers);
        }
        catch (NotSupportedException e)
        {
            throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.InvalidArgument, targetName, e.Message);
        }
        PodCgroupPlan.CheckMemoryUsage(plan, update.Force);
        return (containers, plan);
    }

    public IReadOnlyList<CgroupSetting> ExplainResources(string podName, string? container)
    {
        var pod = LoadPod(podName);
        var containers = ContainerRecords(pod);
        var plan = PlanPod(pod, containers);
        var resources = containers.Select(c => c.ToResources()).ToList();
        var pausePath = PodCgroupLayout.PausePath(pod.CgroupPath);
        if (PauseAlive(pod))
        {
            plan.Add(OomScore.Explain(pod.Name + "/pause", pausePath, pod.PausePid, OomScorePolicy.Pause, "pause container", "kubelet PodInfraOOMAdj: -998", 1));
        }
        foreach (var c in containers)
        {
            var status = _store.ReadStatus(pod.Name, c.Name);
            if (status is null || status.Pid <= 0 || !_processes.IsAlive(new ProcessIdentity(status.Pid, status.PidStartTime))) continue;
            int score = OomScorePolicy.ForContainer(pod.QosClass, c.ToResources(), resources, pod.Resources, NodeMemory.Total);
            string quantity = pod.QosClass == QosClass.Burstable
                ? $"{pod.QosClass} pod, memory request {KubeQuantity.FormatBytes(OomScorePolicy.EffectiveMemoryRequest(c.ToResources(), resources, pod.Resources))}, node memory {KubeQuantity.FormatBytes(NodeMemory.Total)}"
                : $"{pod.QosClass} pod";
            plan.Add(OomScore.Explain($"{pod.Name}/{c.Name}", c.CgroupPath, status.Pid, score, quantity, OomScorePolicy.Formula(pod.QosClass), 1));
        }
        if (!string.IsNullOrEmpty(container))
        {
            if (containers.All(c => c.Name != container)) throw PodEngineException.ContainerNotFound(pod.Name, container);
            plan = plan.Where(s => s.Target == $"{pod.Name}/{container}").ToList();
        }
        return plan;
    }
}
