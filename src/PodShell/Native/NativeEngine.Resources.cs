using System;
using System.Collections.Generic;
using System.Globalization;
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
    private static readonly Lazy<long> s_nodeMemory = new(ReadNodeMemory);

    /// <summary>MemTotal of /proc/meminfo in bytes: cadvisor's MemoryCapacity, kubelet's nodeMemory for oom_score_adj.</summary>
    public static long NodeMemory => s_nodeMemory.Value;

    private static long ReadNodeMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var kb = line.Substring(9).Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new IOException("/proc/meminfo has no MemTotal.");
    }

    internal static ResourceRequirements ResourcesOf(ContainerRecord c) => new()
    {
        CpuRequestMilli = c.CpuRequestMilli,
        CpuLimitMilli = c.CpuLimitMilli,
        MemoryRequest = c.MemoryRequest,
        MemoryLimit = c.MemoryLimit,
        PidsLimit = c.PidsLimit,
    };

    private List<ContainerRecord> ContainerRecords(PodRecord pod) =>
        _store.ListContainerNames(pod.Name).Select(n => _store.ReadContainer(pod.Name, n)).OfType<ContainerRecord>().ToList();

    /// <summary>Kubernetes' validation: no negative values, and a request never above its limit.</summary>
    internal static void ValidateResources(ResourceRequirements r, string target)
    {
        void Check(string what, long? request, long? limit, Func<long, string> format)
        {
            if (request is < 0 || limit is < 0)
            {
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target, $"The {what} of '{target}' cannot be negative.");
            }
            if (request is { } q && limit is { } l && q > l)
            {
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target,
                    $"The {what} request of '{target}' ({format(q)}) is above its limit ({format(l)}); Kubernetes requires request <= limit.",
                    $"Lower the {what} request or raise the limit.");
            }
        }
        Check("cpu", r.CpuRequestMilli, r.CpuLimitMilli, KubeQuantity.FormatCpu);
        Check("memory", r.MemoryRequest, r.MemoryLimit, KubeQuantity.FormatBytes);
        if (r.PidsLimit is < -1 or 0)
        {
            throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target,
                $"The pids limit of '{target}' must be at least 1.", "Give a number of processes, such as 100.");
        }
    }

    /// <summary>Refuses a class other than the one New-PodSandbox -QosClass asserted.</summary>
    private static void CheckAssertedClass(PodRecord pod, QosClass computed, string container)
    {
        if (pod.AssertedQosClass is { } asserted && asserted != computed)
        {
            throw new PodEngineException(ErrorIds.QosClassMismatch, ErrorCategory.InvalidArgument, $"{pod.Name}/{container}",
                $"Pod '{pod.Name}' was made with -QosClass {asserted}, but with container '{container}' its containers' requests and limits make it {computed}.",
                asserted == QosClass.Guaranteed
                    ? "Give the container equal cpu and memory requests and limits (-Cpu and -Memory), or make the pod without -QosClass."
                    : asserted == QosClass.BestEffort ? "Leave out requests and limits, or make the pod without -QosClass." : "Adjust the container's requests and limits, or make the pod without -QosClass.");
        }
    }

    private QosClass ComputeClass(PodRecord pod, IEnumerable<ContainerRecord> containers)
    {
        if (pod.AssertedQosClass is { } asserted && !containers.Any() && (pod.Resources is null || pod.Resources.HasNoComputeResources))
        {
            // An empty pod waits where its asserted class will put it, so its first containers need no move.
            return asserted;
        }
        return QosPolicy.Compute(containers.Select(ResourcesOf), pod.Resources);
    }

    /// <summary>The values of every cgroup of the pod (pod, pause, each container), as planned settings.</summary>
    private List<CgroupSetting> PlanPod(PodRecord pod, IReadOnlyList<ContainerRecord> containers)
    {
        var resources = containers.Select(ResourcesOf).ToList();
        var plan = CgroupResourceFiles.Plan(Cgroups, pod.CgroupPath, PodCgroupPolicy.For(pod.QosClass, resources, pod.Resources), pod.Name, 0);
        foreach (var c in containers)
        {
            if (!Cgroups.Exists(c.CgroupPath)) continue;
            plan.AddRange(CgroupResourceFiles.Plan(Cgroups, c.CgroupPath, ContainerCgroupPolicy.For(ResourcesOf(c), c.RawCgroup), $"{pod.Name}/{c.Name}", 1));
        }
        return plan;
    }

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
        var resources = containers.Select(ResourcesOf).ToList();
        foreach (var c in containers)
        {
            if (string.IsNullOrEmpty(c.CgroupPath) || !Cgroups.Exists(c.CgroupPath)) continue;
            int score = OomScorePolicy.ForContainer(pod.QosClass, ResourcesOf(c), resources, pod.Resources, NodeMemory);
            foreach (var pid in Cgroups.GetProcesses(c.CgroupPath)) OomScore.TryWrite(pid, score);
        }
    }

    /// <summary>After a container left (or failed to be made): the pod goes where its remaining containers put it, with their values.</summary>
    private void RestorePodResources(PodRecord pod)
    {
        EnsurePodPlacement(pod);
        ApplyPodResources(pod);
    }

    private static Dictionary<string, string> RawCgroupFiles(RawCgroupValues? raw)
    {
        var files = new Dictionary<string, string>();
        if (raw is null) return files;
        if (raw.CpuShares is { } shares) files["cpu.shares"] = shares.ToString(CultureInfo.InvariantCulture);
        if (raw.CpuWeight is { } weight) files["cpu.weight"] = weight.ToString(CultureInfo.InvariantCulture);
        foreach (var (file, value) in raw.Unified) files[file] = value;
        return files;
    }

    /// <summary>The class the pod's containers make it; moves the pod's cgroup there, with its processes, when it differs.</summary>
    private void EnsurePodPlacement(PodRecord pod)
    {
        var containers = ContainerRecords(pod);
        var qos = ComputeClass(pod, containers);
        if (qos == pod.QosClass) return;
        MovePod(pod, containers, qos);
    }

    /// <summary>
    /// Moves the pod's cgroup tree to its class's place: the new folders get their values first, then every process
    /// of the pause and container leaves is written to the new leaf's cgroup.procs (again until the old one is empty,
    /// since processes may fork meanwhile), the records and container configs are pointed at the new place (so
    /// restarts and exec join it), and the old folders are removed.
    /// </summary>
    private void MovePod(PodRecord pod, List<ContainerRecord> containers, QosClass qos)
    {
        string oldPath = pod.CgroupPath;
        var oldQos = pod.QosClass;
        string newPath = QosPolicy.PodCgroupPath(CgroupRootName, qos, pod.Uid);
        var leaves = new List<string> { "pause" };
        leaves.AddRange(containers.Select(c => c.Name));
        try
        {
            Cgroups.Create(newPath);
            foreach (var leaf in leaves) Cgroups.Create(newPath + "/" + leaf);
            pod.CgroupPath = newPath;
            pod.QosClass = qos;
            foreach (var c in containers) c.CgroupPath = newPath + "/" + c.Name;
            CgroupTransaction.Apply(PlanPod(pod, containers));
            foreach (var leaf in leaves) Cgroups.MoveProcesses(oldPath + "/" + leaf, newPath + "/" + leaf);
            Cgroups.MoveProcesses(oldPath, newPath);
        }
        catch (Exception e) when (e is IOException or PodShellException)
        {
            // Back where it was: processes first, then the new folders.
            try
            {
                foreach (var leaf in leaves) Cgroups.MoveProcesses(newPath + "/" + leaf, oldPath + "/" + leaf);
                Cgroups.Remove(newPath, "");
            }
            catch (Exception undo) when (undo is IOException or PodShellException or AggregateException)
            {
                // The original failure is what the user needs; the half-moved state stays visible in Get-PodCgroup.
            }
            pod.CgroupPath = oldPath;
            pod.QosClass = oldQos;
            foreach (var c in containers) c.CgroupPath = oldPath + "/" + c.Name;
            throw new PodEngineException(ErrorIds.PodCgroupMoveFailed, ErrorCategory.WriteError, pod.Name,
                $"Pod '{pod.Name}' becomes {qos}, but its cgroup could not move from /{oldPath} to /{newPath}: {e.Message}", null, e);
        }
        _store.WritePod(pod);
        foreach (var c in containers)
        {
            _store.WriteContainer(pod.Name, c);
            var config = Path.Combine(_store.ContainerDirectory(pod.Name, c.Name), "config.json");
            if (File.Exists(config)) StateStore.Write(config, BuildSpec(pod, c));
        }
        // A command exec'd meanwhile may have joined an old leaf from a config read before the rewrite: once more.
        foreach (var leaf in leaves) Cgroups.MoveProcesses(oldPath + "/" + leaf, newPath + "/" + leaf);
        Cgroups.Remove(oldPath, "");
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

        var before = podLevel ? (pod.Resources ?? new ResourceRequirements()) : ResourcesOf(target!);
        var after = Merge(before, update);
        ValidateResources(after, targetName);
        if (podLevel)
        {
            if (update.CpuShares is not null || update.CpuWeight is not null || update.Unified is { Count: > 0 })
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
            if (update.CpuShares is not null || update.CpuWeight is not null || update.Unified is { Count: > 0 })
            {
                var raw = target.RawCgroup ?? new RawCgroupValues();
                if (update.CpuShares is { } shares)
                {
                    if (shares is < KubeQuantity.MinShares or > KubeQuantity.MaxShares)
                        throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, targetName, $"cpu.shares must be between 2 and 262144, not {shares}.");
                    raw.CpuShares = shares;
                }
                if (update.CpuWeight is { } weight)
                {
                    if (weight is < 1 or > 10000)
                        throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, targetName, $"cpu.weight must be between 1 and 10000, not {weight}.");
                    if (Cgroups.FileSystem.FindController(CpuController.Name)?.Version != 2)
                        throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.InvalidArgument, targetName,
                            "cpu.weight is a cgroup v2 file, and this node's cpu controller is on cgroup v1.", "Use -CpuShares (2..262144) instead.");
                    raw.CpuWeight = weight;
                }
                foreach (var (file, value) in update.Unified ?? new Dictionary<string, string>())
                {
                    if (file.Contains('/') || file.StartsWith("cgroup.", StringComparison.Ordinal) || !file.Contains('.'))
                        throw new PodEngineException(ErrorIds.InvalidUnifiedFile, ErrorCategory.InvalidArgument, file,
                            $"'{file}' is not a controller file PodShell can set (cgroup.* files and paths are not allowed).", "Name a file such as memory.high or cpu.max.");
                    raw.Unified[file] = value;
                }
                target.RawCgroup = raw;
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
        CheckMemoryUsage(plan, update.Force);
        return (containers, plan);
    }

    /// <summary>A requested value replaces the old one; a limit given alone moves a request that equalled the old limit with it (so the class holds).</summary>
    private static ResourceRequirements Merge(ResourceRequirements before, ResourceUpdate update)
    {
        var after = before.Clone();
        if (update.CpuLimitMilli is { } cpu)
        {
            if (update.CpuRequestMilli is null && before.CpuRequestMilli == before.CpuLimitMilli) after.CpuRequestMilli = cpu;
            after.CpuLimitMilli = cpu;
        }
        if (update.MemoryLimit is { } memory)
        {
            if (update.MemoryRequest is null && before.MemoryRequest == before.MemoryLimit) after.MemoryRequest = memory;
            after.MemoryLimit = memory;
        }
        if (update.CpuRequestMilli is { } cpuRequest) after.CpuRequestMilli = cpuRequest;
        if (update.MemoryRequest is { } memoryRequest) after.MemoryRequest = memoryRequest;
        if (update.PidsLimit is { } pids) after.PidsLimit = pids < 0 ? null : pids;
        return after;
    }

    /// <summary>A memory limit below what the cgroup uses now is refused unless forced (the kernel would have to reclaim or OOM-kill).</summary>
    private static void CheckMemoryUsage(IEnumerable<CgroupSetting> plan, bool force)
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

    public IReadOnlyList<CgroupSetting> ExplainResources(string podName, string? container)
    {
        var pod = LoadPod(podName);
        var containers = ContainerRecords(pod);
        var plan = PlanPod(pod, containers);
        var resources = containers.Select(ResourcesOf).ToList();
        var pausePath = PauseCgroupPath(pod);
        if (PauseAlive(pod))
        {
            plan.Add(OomSetting(pod.Name + "/pause", pausePath, pod.PausePid, OomScorePolicy.Pause, "pause container", "kubelet PodInfraOOMAdj: -998", 1));
        }
        foreach (var c in containers)
        {
            var status = _store.ReadStatus(pod.Name, c.Name);
            if (status is null || status.Pid <= 0 || !new ProcessIdentity(status.Pid, status.PidStartTime).IsAlive) continue;
            int score = OomScorePolicy.ForContainer(pod.QosClass, ResourcesOf(c), resources, pod.Resources, NodeMemory);
            string quantity = pod.QosClass == QosClass.Burstable
                ? $"{pod.QosClass} pod, memory request {KubeQuantity.FormatBytes(OomScorePolicy.EffectiveMemoryRequest(ResourcesOf(c), resources, pod.Resources))}, node memory {KubeQuantity.FormatBytes(NodeMemory)}"
                : $"{pod.QosClass} pod";
            plan.Add(OomSetting($"{pod.Name}/{c.Name}", c.CgroupPath, status.Pid, score, quantity, OomScorePolicy.Formula(pod.QosClass), 1));
        }
        if (!string.IsNullOrEmpty(container))
        {
            if (containers.All(c => c.Name != container)) throw PodEngineException.ContainerNotFound(pod.Name, container);
            plan = plan.Where(s => s.Target == $"{pod.Name}/{container}").ToList();
        }
        return plan;
    }

    private static CgroupSetting OomSetting(string target, string cgroup, int pid, int score, string quantity, string formula, int depth)
    {
        string file = $"/proc/{pid}/oom_score_adj";
        int? current = OomScore.Read(pid);
        if (current is not null && current != score && score < 0 && current == 0)
        {
            formula += "; the node refuses negative values without CAP_SYS_RESOURCE, so 0 was written";
        }
        return new CgroupSetting
        {
            Target = target, Cgroup = "/" + cgroup, Controller = "oom", Name = "oom_score_adj", File = file,
            Value = score.ToString(CultureInfo.InvariantCulture), Current = current?.ToString(CultureInfo.InvariantCulture),
            Quantity = quantity, Formula = formula, Depth = depth, InEffect = current == score,
        };
    }
}
