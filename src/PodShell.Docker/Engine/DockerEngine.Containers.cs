using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Cgroups;
using PodShell.Docker.Connection;
using PodShell.Docker.Images;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Security;

namespace PodShell.Docker.Engine;

/// <summary>Containers: made with --network/--ipc container:&lt;pause&gt; (and --pid), under the pod's cgroup parent.</summary>
public sealed partial class DockerEngine
{
    /// <summary>CFS period kubelet uses; quota and shares follow Kubernetes' conversion of millicores.</summary>
    private const long CpuPeriod = 100_000;

    private static void ValidateContainerRequest(ContainerCreateRequest request)
    {
        NameValidator.ValidateContainerName(request.Name);
        if (request.RootFs is not null)
        {
            throw new PodEngineException(ErrorIds.HostImageNotSupported, ErrorCategory.InvalidArgument, request.RootFs,
                "A rootfs folder (-RootFs) is an image of the native engine; the Docker engine runs images the daemon holds.",
                $"Import the folder as an image (tar -C {request.RootFs} -c . | docker import - myimage) and pass -Image myimage, or use a pod made with -Engine Native.");
        }
        if (string.Equals(request.Image, "host", StringComparison.Ordinal))
        {
            throw new PodEngineException(ErrorIds.HostImageNotSupported, ErrorCategory.InvalidArgument, request.Image,
                "The 'host' image (the node's own root, read-only) exists only on the native engine; a Docker container needs an image the daemon can run.",
                "Give a Docker image, for example -Image busybox (pulled when missing), or put the container in a pod made with -Engine Native.");
        }
        ContainerCapabilities.Validate(request);
    }

    public PodContainer AddContainer(string pod, ContainerCreateRequest request, bool start, CancellationToken cancel)
    {
        ValidateContainerRequest(request);
        var group = PodGroup(pod, cancel) ?? throw PodEngineException.PodNotFound(pod);
        var sandboxEntry = Sandbox(group)!;
        if (group.Any(c => Label(c.Labels, DockerLabels.ContainerName) == request.Name))
        {
            throw new PodEngineException(ErrorIds.ContainerAlreadyExists, ErrorCategory.ResourceExists, $"{pod}/{request.Name}",
                $"Pod '{pod}' has a container named '{request.Name}' already.",
                $"Choose another name, or remove it first: Remove-PodContainer -Pod {pod} -Name {request.Name} -Force.");
        }
        var sandbox = Inspect(sandboxEntry.ID, cancel);
        if (sandbox.State?.Running != true)
        {
            throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, pod,
                $"The sandbox of pod '{pod}' is not running, so there are no namespaces to join.", $"Start it first: Start-Pod {pod}.");
        }
        var docker = Docker(cancel);
        ImagePuller.Ensure(docker, request.Image, request.Progress, cancel);
        if (request.RunAsNonRoot)
        {
            var user = string.IsNullOrEmpty(request.User) ? Call(c => c.Images.InspectImageAsync(request.Image, cancel), cancel, request.Image).Config?.User : request.User;
            NonRootRule.Check(request.Name, user);
        }

        var sandboxLabels = sandbox.Config?.Labels ?? new Dictionary<string, string>();
        var podVolumes = DockerVolumes.Read(Label(sandboxLabels, DockerLabels.Volumes));
        VolumeRules.ValidateMounts(request.Name, request.Mounts, podVolumes);
        var uid = Label(sandboxLabels, DockerLabels.PodUid) ?? "";
        var sharePid = request.PidMode is { } mode ? mode == PidMode.Pod : Label(sandboxLabels, DockerLabels.ShareProcessNamespace) == "true";
        var hostPid = sandbox.HostConfig?.PidMode == "host";
        var hostIpc = sandbox.HostConfig?.IpcMode == "host";
        var hostConfig = new HostConfig
        {
            NetworkMode = $"container:{sandbox.ID}",
            IpcMode = hostIpc ? "host" : $"container:{sandbox.ID}",
            PidMode = hostPid ? "host" : sharePid ? $"container:{sandbox.ID}" : "",
            CgroupParent = sandbox.HostConfig?.CgroupParent ?? "",
            RestartPolicy = new global::Docker.DotNet.Models.RestartPolicy { Name = ToDocker(request.RestartPolicy) },
            Mounts = DockerVolumes.MountsFor(this, request.Name, request.Mounts, podVolumes, uid, cancel),
            GroupAdd = DockerPodSettings.GroupAdd(sandboxLabels),
        };
        if (request.MemoryLimit is { } memory)
        {
            // No swap beyond the limit, as kubelet sets it.
            hostConfig.Memory = memory;
            hostConfig.MemorySwap = memory;
        }
        if (request.CpuLimitMilli is { } milli)
        {
            hostConfig.CPUPeriod = CpuPeriod;
            hostConfig.CPUQuota = KubeQuantity.QuotaFromMilli(milli, CpuPeriod);
            hostConfig.CPUShares = (long)KubeQuantity.SharesFromMilli(milli);
        }
        var parameters = new CreateContainerParameters
        {
            Name = $"k8s_{request.Name}_{pod}_{Label(sandboxLabels, DockerLabels.PodNamespace) ?? PodNamespace}_{uid}_0",
            Image = request.Image,
            Entrypoint = request.Args.Count > 0 ? request.Args.ToList() : null!,
            // An explicit empty list: the image's CMD must not be appended to the given command.
            Cmd = request.Args.Count > 0 ? new List<string>() : null!,
            Env = request.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
            WorkingDir = request.WorkingDirectory!,
            User = request.User!,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.PodName] = pod,
                [DockerLabels.PodNamespace] = Label(sandboxLabels, DockerLabels.PodNamespace) ?? PodNamespace,
                [DockerLabels.PodUid] = uid,
                [DockerLabels.ContainerName] = request.Name,
                [DockerLabels.ContainerType] = DockerLabels.ContainerTypeContainer,
                [DockerLabels.SandboxId] = sandbox.ID,
                [DockerLabels.RestartPolicy] = request.RestartPolicy.ToString(),
                [DockerLabels.Mounts] = DockerVolumes.Describe(request.Mounts),
                [DockerLabels.ContainerRole] = request.Role.ToString(),
            },
            HostConfig = hostConfig,
        };
        DockerSecurity.Apply(request, hostConfig, parameters.Labels);
        var id = Call(c => c.Containers.CreateContainerAsync(parameters, cancel), cancel, $"{pod}/{request.Name}").ID;
        var podPath = Label(sandboxLabels, DockerLabels.CgroupPath);
        try
        {
            if (start) StartOrThrow(pod, request.Name, id, cancel);
            var after = GetPod(pod) ?? throw PodEngineException.PodNotFound(pod);
            UpdatePodCgroup(after, podPath);
            return after.Containers.FirstOrDefault(c => c.Id == id) ?? throw PodEngineException.ContainerNotFound(pod, request.Name);
        }
        catch (Exception e)
        {
            Rollback.Undo(e, () => RemoveOne(id, CancellationToken.None));
            Rollback.Undo(e, () => UpdatePodCgroup(pod, podPath, CancellationToken.None));
            throw;
        }
    }

    private void StartOrThrow(string pod, string name, string id, CancellationToken cancel)
    {
        try
        {
            Call(c => c.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancel), cancel, $"{pod}/{name}");
        }
        catch (PodEngineException e) when (e.InnerException is DockerApiException api)
        {
            var message = DaemonMessage(api);
            var notFound = message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal);
            throw new PodEngineException(notFound ? ErrorIds.CommandNotFound : ErrorIds.ContainerStartFailed,
                notFound ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidOperation, $"{pod}/{name}",
                $"Container '{name}' of pod '{pod}' could not start: {message}",
                notFound ? "Check the command: it must exist in the image (give its full path when it is not on the image's PATH)." : null, api);
        }
    }

    public IEnumerable<PodContainer> GetContainers(string pod) =>
        (GetPod(pod) ?? throw PodEngineException.PodNotFound(pod)).Containers;

    public PodContainer StartContainer(string pod, string name, CancellationToken cancel)
    {
        var container = FindContainer(pod, name, cancel);
        if (container.State is ContainerState.Running or ContainerState.Waiting) return container;
        var sandbox = GetPod(pod)!;
        if (sandbox.State != PodState.Ready)
        {
            throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, pod,
                $"The sandbox of pod '{pod}' is not running.", $"Start the pod: Start-Pod {pod}.");
        }
        StartOrThrow(pod, name, container.Id, cancel);
        return FindContainer(pod, name, cancel);
    }

    public PodContainer StopContainer(string pod, string name, TimeSpan timeout, CancellationToken cancel)
    {
        var container = FindContainer(pod, name, cancel);
        StopOne(container.Id, timeout, cancel);
        return FindContainer(pod, name, cancel);
    }

    public void RemoveContainer(string pod, string name, bool force, TimeSpan timeout, CancellationToken cancel)
    {
        var container = FindContainer(pod, name, cancel);
        if (container.State is ContainerState.Running or ContainerState.Waiting)
        {
            if (!force)
            {
                throw new PodEngineException(ErrorIds.ContainerRunning, ErrorCategory.ResourceBusy, container.ToString(),
                    $"Container '{name}' of pod '{pod}' is running.", $"Stop it first (Stop-PodContainer -Pod {pod} -Name {name}), or use -Force.");
            }
            StopOne(container.Id, timeout, cancel);
        }
        RemoveOne(container.Id, cancel);
        var pause = FindSandbox(pod, cancel);
        if (pause is not null) UpdatePodCgroup(pod, Label(pause.Labels, DockerLabels.CgroupPath), cancel);
    }

    private PodContainer FindContainer(string pod, string name, CancellationToken cancel)
    {
        var found = (GetPod(pod) ?? throw PodEngineException.PodNotFound(pod)).Containers.FirstOrDefault(c => c.Name == name);
        return found ?? throw PodEngineException.ContainerNotFound(pod, name);
    }

    /// <summary>
    /// kubelet's pod-level limits on the pod cgroup: cpu shares are the sum of the containers' (requests
    /// equal limits here), memory and cpu quota are capped at the sums only when every container sets that limit.
    /// Only where the cgroup is PodShell's to write (a local daemon with the cgroupfs driver).
    /// </summary>
    private void UpdatePodCgroup(string pod, string? podPath, CancellationToken cancel)
    {
        if (string.IsNullOrEmpty(podPath) || PodCgroups is null) return;
        if (GetPod(pod) is { } current) UpdatePodCgroup(current, podPath);
    }

    private void UpdatePodCgroup(Pod pod, string? podPath)
    {
        if (string.IsNullOrEmpty(podPath) || PodCgroups is not { } cgroups) return;
        var path = podPath.TrimStart('/');
        if (!cgroups.Exists(path)) return;
        var containers = pod.Containers.ToList();
        ulong shares = 0;
        foreach (var c in containers) shares += c.CpuLimitMilli is { } m ? KubeQuantity.SharesFromMilli(m) : 0;
        var allMemory = containers.Count > 0 && containers.All(c => c.MemoryLimit is not null);
        var allCpu = containers.Count > 0 && containers.All(c => c.CpuLimitMilli is not null);
        long? quota = allCpu ? containers.Sum(c => KubeQuantity.QuotaFromMilli(c.CpuLimitMilli!.Value, CpuPeriod)) : null;
        cgroups.SetCpu(path, quota, CpuPeriod, Math.Max(shares, 2UL));
        cgroups.SetMemoryLimit(path, allMemory ? containers.Sum(c => c.MemoryLimit!.Value) : null);
    }

    public PodContainer UpdateResources(string pod, string container, ResourceUpdate update, CancellationToken cancel)
    {
        var current = FindContainer(pod, container, cancel);
        if (update.Unified is { Count: > 0 } || update.CpuWeight is not null)
        {
            throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.NotImplemented, current.ToString(),
                "Raw cgroup v2 files and cpu.weight cannot be set through Docker's container update.",
                "Set -Cpu/-Memory/-CpuShares/-PidsLimit, which Docker updates live, or use a pod of the native engine.");
        }
        var parameters = new ContainerUpdateParameters();
        if (update.MemoryLimit is { } memory)
        {
            parameters.Memory = memory;
            parameters.MemorySwap = memory;
        }
        if (update.MemoryRequest is { } request) parameters.MemoryReservation = request;
        if (update.CpuLimitMilli is { } limit)
        {
            parameters.CPUPeriod = CpuPeriod;
            parameters.CPUQuota = KubeQuantity.QuotaFromMilli(limit, CpuPeriod);
        }
        var shares = update.CpuShares ?? (update.CpuRequestMilli is { } cpuRequest ? KubeQuantity.SharesFromMilli(cpuRequest)
            : update.CpuLimitMilli is { } cpuLimit ? KubeQuantity.SharesFromMilli(cpuLimit) : null);
        if (shares is { } s) parameters.CPUShares = (long)s;
        if (update.PidsLimit is { } pids) parameters.PidsLimit = pids;
        try
        {
            Call(c => c.Containers.UpdateContainerAsync(current.Id, parameters, cancel), cancel, current.ToString());
        }
        catch (PodEngineException e) when (e.InnerException is DockerApiException api && DaemonMessage(api).Contains("device or resource busy", StringComparison.Ordinal))
        {
            throw new PodEngineException(ErrorIds.MemoryLimitBelowUsage, ErrorCategory.InvalidOperation, current.ToString(),
                $"The kernel refused a memory limit below what container '{container}' uses now: {DaemonMessage(api)}",
                "Give a larger limit, or free memory in the container first.", api);
        }
        var sandbox = FindSandbox(pod, cancel);
        if (sandbox is not null) UpdatePodCgroup(pod, Label(sandbox.Labels, DockerLabels.CgroupPath), cancel);
        return FindContainer(pod, container, cancel);
    }
}
