using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Images;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Host;
using PodShell.Protocol;
using PodShell.Security;
using PodShell.State;

namespace PodShell.Native;

public sealed partial class NativeEngine
{
    /// <summary>The start stage's (and the shell's) exit code for a command that is not there.</summary>
    private const int CommandNotFoundExitCode = 127;
    private static readonly string[] DefaultPath = DefaultSearchPath.Value.Split(':');

    public PodContainer AddContainer(string podName, ContainerCreateRequest request, bool start, CancellationToken cancel) =>
        AddContainer(podName, request, start, cancel, wholePod: false);

    /// <param name="wholePod">Part of a whole-pod create: the pod already sits where all its containers put it.</param>
    private PodContainer AddContainer(string podName, ContainerCreateRequest request, bool start, CancellationToken cancel, bool wholePod)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        RequireNotPaused(pod);
        NameValidator.ValidateContainerName(request.Name);
        if (request.Name == PodCgroupLayout.PauseLeaf)
        {
            throw new PodEngineException(ErrorIds.ContainerNameReserved, ErrorCategory.InvalidArgument, request.Name,
                "'pause' names the pod's sandbox process (and its cgroup) and cannot name a container.", "Choose another name.");
        }
        RequestValidator.Validate(request);
        ContainerCapabilities.Validate(request);
        VolumeRules.ValidateMounts(request.Name, request.Mounts, pod.Volumes);
        var resources = request.ToResources();
        ResourceRules.Validate(resources, $"{podName}/{request.Name}");
        var image = UsesStoredImage(request) ? PrepareStoredImage(request, cancel) : null;
        if (request.RunAsNonRoot) NonRootRule.Check(request.Name, image is null ? request.User : image.Run.User);
        var args = image?.Run.Args ?? request.Args;
        var environment = image?.Run.Environment ?? request.Environment;
        if (args.Count == 0)
        {
            throw new PodEngineException(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument, request.Name,
                image is null ? "A container needs a command: the host image has no default one." : $"The image '{request.Image}' has no Entrypoint or Cmd, so the container needs a command.",
                "Pass -Command, for example -Command sleep,infinity.");
        }
        var path = environment.TryGetValue("PATH", out var p) ? p.Split(':') : DefaultPath;
        if (image is not null ? !image.Root.CommandExists(args[0], path) : !HostImage.CommandExists(request.RootFs ?? "/", args[0], path))
        {
            throw new PodEngineException(ErrorIds.CommandNotFound, ErrorCategory.ObjectNotFound, args[0],
                $"The command '{args[0]}' is not in the image '{request.RootFs ?? request.Image}' (looked in {string.Join(":", path)}).",
                "Give the command's full path inside the image, or install it in the image.");
        }

        // A whole-pod create holds the pod's lock already (taken by CreatePod, which rolls the pod back on failure).
        using (wholePod ? null : _store.LockPod(podName, LockTimeout))
        {
            pod = LoadPod(podName);
            var others = ContainerRecords(pod);
            var defaulted = resources.WithDefaultRequests();
            if (!wholePod) ResourceRules.CheckAssertedClass(pod.Name, pod.AssertedQosClass, QosPolicy.Compute(others.Select(c => c.ToResources()).Append(defaulted), pod.Resources), request.Name);
            if (!_store.TryCreateContainerDirectory(podName, request.Name))
            {
                throw new PodEngineException(ErrorIds.ContainerAlreadyExists, ErrorCategory.ResourceExists, $"{podName}/{request.Name}",
                    $"Pod '{podName}' has a container named '{request.Name}' already.",
                    $"Choose another name, or remove it: Remove-PodContainer -Pod {podName} -Name {request.Name}.");
            }
            var record = new ContainerRecord
            {
                Name = request.Name,
                Id = ObjectId.New(),
                Image = image is not null ? request.Image : request.RootFs is null ? HostImage.Name : Path.GetFullPath(request.RootFs),
                ImageId = image?.Record.Id,
                ImageDigest = image?.Digest,
                LowerDirs = image?.LowerDirs.ToList(),
                StopSignal = image?.Run.StopSignal ?? ImageRunConfig.DefaultStopSignal,
                Args = args.ToList(),
                Environment = new Dictionary<string, string>(environment),
                WorkingDirectory = image is null ? request.WorkingDirectory : image.Run.WorkingDirectory,
                User = image is null ? request.User : image.Run.User,
                RestartPolicy = request.RestartPolicy,
                PidMode = request.PidMode ?? (pod.Namespaces.Pid == NamespaceMode.Container ? PidMode.Container : PidMode.Pod),
                MemoryLimit = defaulted.MemoryLimit,
                CpuLimitMilli = defaulted.CpuLimitMilli,
                MemoryRequest = defaulted.MemoryRequest,
                CpuRequestMilli = defaulted.CpuRequestMilli,
                PidsLimit = defaulted.PidsLimit,
                CreatedAt = DateTimeOffset.UtcNow,
                CgroupPath = PodCgroupLayout.ContainerPath(pod.CgroupPath, request.Name),
                Mounts = request.Mounts.ToList(),
                Role = request.Role,
            };
            try
            {
                ContainerSecurity.Record(request, record);
                _store.WriteContainer(podName, record);
                if (image is not null) AcquireImage(record, podName, cancel);
                // The class may change with this container: the pod's cgroup moves first, with its processes.
                if (!wholePod) EnsurePodPlacement(pod);
                record = _store.ReadContainer(podName, record.Name)!;
                record.CgroupPath = PodCgroupLayout.ContainerPath(pod.CgroupPath, record.Name);
                _store.WriteContainer(podName, record);
                Cgroups.Create(record.CgroupPath);
                Cgroups.SetDefaultDevicePolicy(record.CgroupPath, record.Privileged);
                ApplyPodResources(pod);
                record.Complete = true;
                _store.WriteContainer(podName, record);
                if (start) StartContainerLocked(pod, record.Name, cancel);
            }
            catch (Exception e)
            {
                Rollback.Undo(e, () =>
                {
                    DestroyContainer(pod, record.Name);
                    if (!wholePod) RestorePodResources(pod);
                });
                throw;
            }
            return ToContainer(pod, record.Name)!;
        }
    }

    public IEnumerable<PodContainer> GetContainers(string podName)
    {
        var pod = LoadPod(podName);
        return _store.ListContainerNames(podName).Select(n => ToContainer(pod, n)).OfType<PodContainer>().ToList();
    }

    public PodContainer StartContainer(string podName, string name, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        using (_store.LockPod(podName, LockTimeout))
        {
            RequireContainer(pod, name);
            RequireNotPaused(pod);
            if (!ContainerShimAlive(pod, name)) StartContainerLocked(pod, name, cancel);
            return ToContainer(pod, name)!;
        }
    }

    private void StartContainerLocked(PodRecord pod, string name, CancellationToken cancel)
    {
        if (!PauseAlive(pod))
        {
            throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, pod.Name,
                $"The sandbox of pod '{pod.Name}' is not running, so its containers have no namespaces to join.", $"Start the pod first: Start-Pod {pod.Name}.");
        }
        var record = _store.ReadContainer(pod.Name, name) ?? throw PodEngineException.ContainerNotFound(pod.Name, name);
        var directory = _store.ContainerDirectory(pod.Name, name);
        // A container whose shim died runs on unwatched: take it down first, so the new shim's container is the only one.
        if (_store.ReadStatus(pod.Name, name) is { Pid: > 0 } previous)
            Stopper.KillProcesses(record, pod, name, new ProcessIdentity(previous.Pid, previous.PidStartTime));
        var specPath = Path.Combine(directory, "config.json");
        // Built at every start: the pause changes when a stopped pod gets a new sandbox.
        StateStore.Write(specPath, Specs.Build(pod, record, ContainerRecords(pod)));
        // The run that ended stays readable for Get-PodLog -Previous (a new shim starts a new status.json).
        if (File.Exists(Path.Combine(directory, "status.json"))) File.Move(Path.Combine(directory, "status.json"), Path.Combine(directory, LastStatusFile), overwrite: true);
        // The shim daemon itself (no foreground `shim` in between): it answers on stdout and stays running.
        var result = _init.Run<StartResult>(new[] { "shim-run", "--config", specPath }, InitRunner.AnswerTimeout, cancel, detaches: true);
        if (!result.Ok)
        {
            var notFound = result.ExitCode == CommandNotFoundExitCode;
            throw new PodEngineException(notFound ? ErrorIds.CommandNotFound : ErrorIds.ContainerStartFailed,
                notFound ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidOperation, $"{pod.Name}/{name}",
                $"Container '{name}' of pod '{pod.Name}' did not start: {result.Error}",
                notFound ? "Check the command's path inside the image." : $"See {Path.Combine(directory, "shim.log")}.");
        }
        record.ShimPid = result.ShimPid;
        record.ShimStartTime = result.ShimStartTime;
        _store.WriteContainer(pod.Name, record);
    }

    public PodContainer StopContainer(string podName, string name, TimeSpan timeout, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        using (_store.LockPod(podName, LockTimeout))
        {
            RequireContainer(pod, name);
            RequireNotPaused(pod);
            Stopper.Stop(pod, name, timeout, cancel);
            return ToContainer(pod, name)!;
        }
    }

    public void RemoveContainer(string podName, string name, bool force, TimeSpan timeout, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        using (_store.LockPod(podName, LockTimeout))
        {
            RequireContainer(pod, name);
            RequireNotPaused(pod);
            if (ContainerShimAlive(pod, name) && !force)
            {
                throw new PodEngineException(ErrorIds.ContainerRunning, ErrorCategory.ResourceBusy, $"{podName}/{name}",
                    $"Container '{name}' of pod '{podName}' is running.", "Stop it first (Stop-PodContainer), or remove it with -Force.");
            }
            Stopper.Stop(pod, name, timeout, cancel);
            DestroyContainer(pod, name);
            RestorePodResources(pod);
        }
    }

    private void DestroyContainer(PodRecord pod, string name)
    {
        var record = _store.ReadContainer(pod.Name, name);
        Stopper.Stop(pod, name, TimeSpan.Zero, CancellationToken.None);
        Cgroups.Remove(record?.CgroupPath ?? PodCgroupLayout.ContainerPath(pod.CgroupPath, name), pod.CgroupPath);
        var directory = _store.ContainerDirectory(pod.Name, name);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        if (record?.ImageId is not null) ReleaseImage(record);
    }

    private void RequireContainer(PodRecord pod, string name)
    {
        if (!Directory.Exists(_store.ContainerDirectory(pod.Name, name))) throw PodEngineException.ContainerNotFound(pod.Name, name);
    }

    private bool ContainerShimAlive(PodRecord pod, string name) => Status.IsShimAlive(pod, name);

    private PodContainer? ToContainer(PodRecord pod, string name) => Status.ReadContainer(pod, name);
}
