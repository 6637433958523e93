using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Cgroups;
using PodShell.Images;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Protocol;
using PodShell.Security;
using PodShell.State;

namespace PodShell.Native;

public sealed partial class NativeEngine
{
    /// <summary>Overrides kubelet's 10 s restart backoff base (milliseconds), so tests need not wait.</summary>
    public const string BackoffBaseVariable = "PODSHELL_BACKOFF_BASE_MS";
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
        if (request.Name == "pause")
        {
            throw new PodEngineException(ErrorIds.ContainerNameReserved, ErrorCategory.InvalidArgument, request.Name,
                "'pause' names the pod's sandbox process (and its cgroup) and cannot name a container.", "Choose another name.");
        }
        RequestValidator.Validate(request);
        ValidateImage(request);
        VolumeRules.ValidateMounts(request.Name, request.Mounts, pod.Volumes);
        var resources = new ResourceRequirements
        {
            CpuRequestMilli = request.CpuRequestMilli, CpuLimitMilli = request.CpuLimitMilli,
            MemoryRequest = request.MemoryRequest, MemoryLimit = request.MemoryLimit, PidsLimit = request.PidsLimit,
        };
        ValidateResources(resources, $"{podName}/{request.Name}");
        var image = UsesStoredImage(request) ? PrepareStoredImage(request, cancel) : null;
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

        using (_store.LockPod(podName, LockTimeout))
        {
            pod = LoadPod(podName);
            var others = ContainerRecords(pod);
            var defaulted = resources.WithDefaultRequests();
            if (!wholePod) CheckAssertedClass(pod, QosPolicy.Compute(others.Select(ResourcesOf).Append(defaulted), pod.Resources), request.Name);
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
                CgroupPath = ContainerCgroupPath(pod, request.Name),
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
                record.CgroupPath = ContainerCgroupPath(pod, record.Name);
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

    private static void ValidateImage(ContainerCreateRequest request)
    {
        if (request.RootFs is not null)
        {
            return; // checked by RequestValidator.ValidateRootFs
        }
    }

    private ContainerSpec BuildSpec(PodRecord pod, ContainerRecord record)
    {
        var podDirectory = _store.PodDirectory(pod.Name);
        var join = new List<SharedNamespace> { SharedNamespace.Net, SharedNamespace.Ipc, SharedNamespace.Uts };
        var sharesPodPid = record.PidMode == PidMode.Pod || pod.Namespaces.Pid == NamespaceMode.Node;
        if (sharesPodPid) join.Add(SharedNamespace.Pid);
        var backoff = int.TryParse(Environment.GetEnvironmentVariable(BackoffBaseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 10_000;
        var env = new Dictionary<string, string>(record.Environment);
        env.TryAdd("HOSTNAME", pod.Hostname);
        var masked = record.Privileged ? new List<string>() : ContainerDefaults.MaskedPaths.ToList();
        // The host image shows the node's root, and with it every pod's state (other containers' specs and environments).
        if (record.Image == HostImage.Name) masked.AddRange(ContainerSecurity.StateRoots(_store.Root));
        var seccomp = ContainerSecurity.Seccomp(record);
        return new ContainerSpec
        {
            PodName = pod.Name,
            ContainerName = record.Name,
            StateDirectory = _store.ContainerDirectory(pod.Name, record.Name),
            PausePid = pod.PausePid,
            PauseStartTime = pod.PauseStartTime,
            JoinNamespaces = join,
            NewPidNamespace = !sharesPodPid,
            CgroupProcs = Cgroups.ProcsFiles(record.CgroupPath).ToList(),
            OomEventsFile = Cgroups.OomEventsFile(record.CgroupPath),
            OomScoreAdj = OomScorePolicy.ForContainer(pod.QosClass, ResourcesOf(record), ContainerRecords(pod).Select(ResourcesOf).ToList(), pod.Resources, NodeMemory),
            Rootfs = WithVolumes(record.LowerDirs is { Count: > 0 } layers ? new RootfsSpec { LowerDirs = layers }
                : record.Image == HostImage.Name ? HostImage.Rootfs() : new RootfsSpec { LowerDirs = new List<string> { record.Image } }, pod, record),
            ShmSource = pod.Namespaces.Ipc == NamespaceMode.Node ? "/dev/shm" : Path.Combine(podDirectory, "shm"),
            HostnameFile = Path.Combine(podDirectory, "hostname"),
            HostsFile = Path.Combine(podDirectory, "hosts"),
            ResolvConfFile = Path.Combine(podDirectory, "resolv.conf"),
            Args = record.Args,
            Environment = env,
            WorkingDirectory = record.WorkingDirectory ?? "/",
            User = record.User,
            SupplementalGroups = PodGroupRules.ForContainers(pod.SupplementalGroups, pod.FsGroup).Select(g => (uint)g).ToList(),
            RestartPolicy = record.RestartPolicy switch
            {
                RestartPolicy.Never => ShimRestartPolicy.Never,
                RestartPolicy.OnFailure => ShimRestartPolicy.OnFailure,
                _ => ShimRestartPolicy.Always,
            },
            BackoffBaseMilliseconds = backoff,
            LogMaxSizeBytes = ContainerLogSettings.MaxSize,
            LogMaxFiles = ContainerLogSettings.MaxFiles,
            Capabilities = ContainerSecurity.Capabilities(record).ToList(),
            NoNewPrivileges = !record.Privileged,
            MaskedPaths = masked,
            ReadonlyPaths = record.Privileged ? new List<string>() : ContainerDefaults.ReadonlyPaths.ToList(),
            StopSignal = record.StopSignal,
            Seccomp = seccomp,
            SeccompCacheFile = SeccompProgramCache.FileFor(seccomp),
        };
    }

    private RootfsSpec WithVolumes(RootfsSpec rootfs, PodRecord pod, ContainerRecord record)
    {
        rootfs.Binds.AddRange(VolumeBinds(pod, record));
        return rootfs;
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

    /// <summary>The Reason of a container that runs on after its shim died (killed, OOM): Start-PodContainer restarts it.</summary>
    public const string ShimLostReason = "ShimLost";

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
            KillContainerProcesses(record, pod, name, new ProcessIdentity(previous.Pid, previous.PidStartTime));
        var specPath = Path.Combine(directory, "config.json");
        // Built at every start: the pause changes when a stopped pod gets a new sandbox.
        StateStore.Write(specPath, BuildSpec(pod, record));
        // The run that ended stays readable for Get-PodLog -Previous (a new shim starts a new status.json).
        if (File.Exists(Path.Combine(directory, "status.json"))) File.Move(Path.Combine(directory, "status.json"), Path.Combine(directory, LastStatusFile), overwrite: true);
        // The shim daemon itself (no foreground `shim` in between): it answers on stdout and stays running.
        var result = InitRunner.Run<StartResult>(new[] { "shim-run", "--config", specPath }, InitTimeout, cancel, detaches: true);
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
            StopContainerLocked(pod, name, timeout, cancel);
            return ToContainer(pod, name)!;
        }
    }

    /// <summary>
    /// SIGTERM to the shim means "stop, and do not restart": it forwards SIGTERM to the container. After the
    /// grace period the container's processes get SIGKILL. Whatever is left in its cgroup is killed too (in a
    /// shared pid namespace a container's children outlive its first process).
    /// </summary>
    private void StopContainerLocked(PodRecord pod, string name, TimeSpan timeout, CancellationToken cancel)
    {
        var record = _store.ReadContainer(pod.Name, name);
        var status = _store.ReadStatus(pod.Name, name);
        // A pwsh that died mid-start never recorded the shim: the shim's own status file names it.
        var shim = record is { ShimPid: > 0 } ? new ProcessIdentity(record.ShimPid, record.ShimStartTime)
            : status is { ShimPid: > 0 } ? new ProcessIdentity(status.ShimPid, status.ShimStartTime)
            : PodSweeper.FindShim(_store.ContainerDirectory(pod.Name, name)); // both files unreadable: the shim names its config
        var main = status is null ? default : new ProcessIdentity(status.Pid, status.PidStartTime);
        if (shim.Pid > 0 && shim.IsAlive)
        {
            Libc.kill(shim.Pid, Libc.SIGTERM);
            if (!ProcessTerminator.WaitForExit(shim, timeout, cancel))
            {
                KillContainerProcesses(record, pod, name, main);
                if (!ProcessTerminator.WaitForExit(shim, TimeSpan.FromSeconds(5), CancellationToken.None)) ProcessTerminator.Kill(shim);
            }
        }
        else if (main.Pid > 0)
        {
            ProcessTerminator.Terminate(main, timeout, cancel);
        }
        KillContainerProcesses(record, pod, name, main);
    }

    /// <summary>The main process, then whatever is in the container's cgroup (its recorded one, or where it would be when container.json is unreadable).</summary>
    private void KillContainerProcesses(ContainerRecord? record, PodRecord pod, string name, ProcessIdentity main)
    {
        ProcessTerminator.Kill(main);
        var cgroupPath = string.IsNullOrEmpty(record?.CgroupPath) ? ContainerCgroupPath(pod, name) : record.CgroupPath;
        if (!Cgroups.Exists(cgroupPath)) return;
        for (var round = 0; round < 50; round++)
        {
            var left = Cgroups.GetProcesses(cgroupPath);
            if (left.Count == 0) return;
            foreach (var pid in left) Libc.kill(pid, Libc.SIGKILL);
            foreach (var pid in left)
            {
                if (ProcessIdentity.ReadStartTime(pid) is { } started)
                {
                    ProcessTerminator.WaitForExit(new ProcessIdentity(pid, started), TimeSpan.FromMilliseconds(200), CancellationToken.None);
                }
            }
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
            StopContainerLocked(pod, name, timeout, cancel);
            DestroyContainer(pod, name);
            RestorePodResources(pod);
        }
    }

    private void DestroyContainer(PodRecord pod, string name)
    {
        var record = _store.ReadContainer(pod.Name, name);
        StopContainerLocked(pod, name, TimeSpan.Zero, CancellationToken.None);
        Cgroups.Remove(record?.CgroupPath ?? ContainerCgroupPath(pod, name), pod.CgroupPath);
        var directory = _store.ContainerDirectory(pod.Name, name);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        if (record?.ImageId is not null) ReleaseImage(record);
    }

    private void RequireContainer(PodRecord pod, string name)
    {
        if (!Directory.Exists(_store.ContainerDirectory(pod.Name, name))) throw PodEngineException.ContainerNotFound(pod.Name, name);
    }

    private bool ContainerShimAlive(PodRecord pod, string name)
    {
        var record = _store.ReadContainer(pod.Name, name);
        return record is not null && record.ShimPid > 0 && new ProcessIdentity(record.ShimPid, record.ShimStartTime).IsAlive;
    }

    private PodContainer? ToContainer(PodRecord pod, string name)
    {
        var directory = _store.ContainerDirectory(pod.Name, name);
        var record = _store.ReadContainer(pod.Name, name, out var problem);
        if (record is null)
        {
            if (!Directory.Exists(directory)) return null;
            // Never hidden: shown as Unknown with the reason, so Remove-PodContainer -Force and Remove-Pod -Force still reach it.
            return new PodContainer
            {
                PodName = pod.Name,
                Name = name,
                State = ContainerState.Unknown,
                Reason = "StateUnreadable",
                Message = $"Its state cannot be read: {problem?.TrimEnd('.')}.",
                EngineDetails = new NativeContainerDetails { StateDirectory = directory, LogPath = LogPath(pod, name) },
            };
        }
        var status = _store.ReadStatus(pod.Name, name, out var statusProblem);
        var state = ContainerState.Created;
        int? pid = null;
        string? reason = status?.Reason;
        if (!record.Complete) { state = ContainerState.Unknown; reason = "Creating"; }
        else if (statusProblem is not null)
        {
            state = ContainerState.Unknown;
            reason = "StateUnreadable";
            status = new ContainerStatus { Message = $"Its status cannot be read: {statusProblem.TrimEnd('.')}." };
        }
        else if (status is not null)
        {
            var shimAlive = new ProcessIdentity(record.ShimPid, record.ShimStartTime).IsAlive;
            if (!shimAlive && status.State is ContainerRunState.Running or ContainerRunState.Waiting)
            {
                // The shim writes down the container's end and then exits: a status read before that write and a
                // liveness check after it disagree. Read it once more before calling the shim lost.
                var again = _store.ReadStatus(pod.Name, name, out var againProblem);
                if (againProblem is null && again is not null)
                {
                    status = again;
                    reason = again.Reason;
                }
            }
            switch (status.State)
            {
                // Between the container's exit and the shim writing it down, the shim's word still stands.
                case ContainerRunState.Running when shimAlive:
                    state = IsPaused(pod) ? ContainerState.Paused : ContainerState.Running;
                    pid = status.Pid;
                    break;
                case ContainerRunState.Running when new ProcessIdentity(status.Pid, status.PidStartTime).IsAlive:
                    // Running, but unwatched: nothing logs its output, records its exit or applies its restart policy.
                    state = ContainerState.Running;
                    pid = status.Pid;
                    reason = ShimLostReason;
                    status.Message = $"Its shim (pid {record.ShimPid}) is gone: its output is not logged and its restart policy is not applied. Start-PodContainer -Pod {pod.Name} -Name {name} takes it back (restarts it).";
                    break;
                case ContainerRunState.Waiting when shimAlive:
                    state = ContainerState.Waiting;
                    break;
                case ContainerRunState.Running or ContainerRunState.Waiting:
                    // The shim died without recording how the container ended.
                    state = ContainerState.Exited;
                    reason ??= "Unknown";
                    break;
                default:
                    state = ContainerState.Exited;
                    break;
            }
        }
        return new PodContainer
        {
            PodName = pod.Name,
            Name = record.Name,
            Id = record.Id,
            Image = record.Image,
            ImageId = record.ImageId,
            ImageDigest = record.ImageDigest,
            Command = record.Args.ToArray(),
            State = state,
            Pid = pid,
            ExitCode = state is ContainerState.Running or ContainerState.Paused ? null : status?.ExitCode,
            Reason = state is (ContainerState.Running or ContainerState.Paused) && reason != ShimLostReason ? null : reason,
            Message = status?.Message,
            RestartCount = status?.RestartCount ?? 0,
            RestartPolicy = record.RestartPolicy,
            PidMode = record.PidMode,
            CreatedAt = record.CreatedAt,
            StartedAt = status?.StartedAt,
            FinishedAt = state is ContainerState.Running or ContainerState.Paused ? null : status?.FinishedAt,
            MemoryLimit = record.MemoryLimit,
            CpuLimitMilli = record.CpuLimitMilli,
            MemoryRequest = record.MemoryRequest,
            CpuRequestMilli = record.CpuRequestMilli,
            PidsLimit = record.PidsLimit,
            CgroupOverrides = RawCgroupFiles(record.RawCgroup),
            CgroupPath = "/" + record.CgroupPath,
            Environment = new Dictionary<string, string>(record.Environment),
            WorkingDirectory = record.WorkingDirectory,
            User = record.User,
            Mounts = record.Mounts.ToArray(),
            Role = record.Role,
            EngineDetails = new NativeContainerDetails
            {
                StateDirectory = directory,
                LogPath = LogPath(pod, record.Name),
                RootFs = record.LowerDirs is { Count: > 0 } layers ? string.Join(':', layers) : record.Image == HostImage.Name ? "/" : record.Image,
            },
        };
    }
}
