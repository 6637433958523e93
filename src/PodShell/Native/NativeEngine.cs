using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Native.Host;
using PodShell.Native.Resources;
using PodShell.Native.Sandbox;
using PodShell.Native.Spec;
using PodShell.Native.Status;
using PodShell.Native.Stopping;
using PodShell.Native.Volumes;
using PodShell.State;

namespace PodShell.Native;

/// <summary>
/// The daemonless engine: state folders and cgroups are made here, every namespace by podshell-init. This class
/// orchestrates (validate, lock, do the steps in order, undo them in reverse when a later one fails); the steps
/// are its parts: <see cref="PodSandbox"/>, <see cref="ContainerSpecBuilder"/>, <see cref="ContainerStopper"/>,
/// <see cref="StatusReader"/> (over the pure status mappers), <see cref="PodVolumes"/>, and the pod cgroup policy of Engine/.
/// </summary>
public sealed partial class NativeEngine : IPodEngine
{
    public const string CgroupRootVariable = "PODSHELL_CGROUP_ROOT";
    public const string DefaultCgroupRoot = "podshell";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly StateStore _store;
    private readonly Lazy<CgroupManager> _cgroups;
    private readonly IInitRunner _init;
    private readonly IProcessTable _processes;
    private readonly IPrivilegeCheck _privilege;
    private readonly PodVolumes _volumes;
    private PodSandbox? _sandbox;
    private ContainerStopper? _stopper;
    private StatusReader? _status;
    private ContainerSpecBuilder? _specs;
    private PodCgroups? _podCgroups;

    public NativeEngine(StateStore? store = null, CgroupFileSystem? cgroupFileSystem = null)
        : this(store, cgroupFileSystem, InitRunner.Instance, LinuxProcessTable.Instance, EffectiveUserCheck.Instance)
    {
    }

    /// <summary>The engine over its seams: tests pass fakes for podshell-init, the process table and the root check.</summary>
    internal NativeEngine(StateStore? store, CgroupFileSystem? cgroupFileSystem, IInitRunner init, IProcessTable processes, IPrivilegeCheck privilege)
    {
        _store = store ?? new StateStore();
        _cgroups = new Lazy<CgroupManager>(() => new CgroupManager(cgroupFileSystem ?? CgroupFileSystem.Detect()));
        _init = init;
        _processes = processes;
        _privilege = privilege;
        _volumes = new PodVolumes(_store);
    }

    private static NativeEngine? s_current;

    /// <summary>One native engine per state root (PODSHELL_ROOT may change within a session), so its cgroup detection is done once.</summary>
    public static NativeEngine ForCurrentRoot()
    {
        var root = new StateStore().Root;
        var engine = s_current;
        if (engine is null || engine.Store.Root != root) s_current = engine = new NativeEngine(new StateStore(root));
        return engine;
    }

    public PodEngineKind Kind => PodEngineKind.Native;
    public StateStore Store => _store;
    private CgroupManager Cgroups => _cgroups.Value;
    private PodSweeper Sweeper => new(Cgroups, CgroupRootName);
    // Made on first use (the cgroup file system is detected then); stateless, so a second one made by a racing thread is harmless.
    private PodSandbox Sandbox => _sandbox ??= new PodSandbox(_store, Cgroups, _init, _processes);
    private ContainerStopper Stopper => _stopper ??= new ContainerStopper(_store, Cgroups, _processes);
    private StatusReader Status => _status ??= new StatusReader(_store, Cgroups, _processes);
    private ContainerSpecBuilder Specs => _specs ??= new ContainerSpecBuilder(_store, Cgroups, _volumes);
    private PodCgroups PodCgroups => _podCgroups ??= new PodCgroups(_store, Cgroups, Specs);

    /// <summary>kubelet's podPidsLimit: PODSHELL_POD_PIDS_LIMIT caps the processes of each new pod (its pod cgroup's pids.max); unset, 0 or -1 for none.</summary>
    public const string PodPidsLimitVariable = "PODSHELL_POD_PIDS_LIMIT";

    private static long? PodPidsLimit =>
        long.TryParse(Environment.GetEnvironmentVariable(PodPidsLimitVariable), out var limit) && limit > 0 ? limit : null;

    private static string CgroupRootName
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(CgroupRootVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? DefaultCgroupRoot : fromEnvironment;
        }
    }

    private void RequireRoot()
    {
        if (!_privilege.IsRoot)
        {
            throw new PodEngineException(ErrorIds.RootRequired, ErrorCategory.PermissionDenied, null,
                "The native engine makes namespaces, mounts and cgroups, which needs root.",
                "Run pwsh as root (for example: sudo pwsh), or use -Engine Docker.");
        }
    }

    public Pod CreatePod(PodCreateRequest request, CancellationToken cancel)
    {
        RequireRoot();
        NameValidator.ValidatePodName(request.Name);
        foreach (var label in request.Labels) NameValidator.ValidateLabel(label.Key, label.Value);
        VolumeRules.ValidateVolumes(request.Volumes);
        var hostname = request.Hostname ?? NameValidator.HostnameFor(request.Name);
        NameValidator.ValidateHostname(hostname);
        var plan = PodSandboxPlan.Plan(request, hostname);
        var network = PlanNetwork(request);
        var uid = request.Uid ?? Guid.NewGuid().ToString();
        if (request.Resources is not null) ResourceRules.Validate(request.Resources, request.Name);
        var record = new PodRecord
        {
            Name = request.Name,
            Id = ObjectId.New(),
            Uid = uid,
            Engine = PodEngineKind.Native,
            Hostname = request.HostNetwork ? Environment.MachineName : plan.KernelHostname,
            CreatedAt = DateTimeOffset.UtcNow,
            AssertedQosClass = request.QosClass,
            Resources = request.Resources?.Clone(),
            Namespaces = new PodNamespaceModes
            {
                Network = request.HostNetwork ? NamespaceMode.Node : NamespaceMode.Pod,
                Uts = request.HostNetwork ? NamespaceMode.Node : NamespaceMode.Pod,
                Ipc = request.HostIpc ? NamespaceMode.Node : NamespaceMode.Pod,
                Pid = request.HostPid ? NamespaceMode.Node : request.ShareProcessNamespace ? NamespaceMode.Pod : NamespaceMode.Container,
            },
            Labels = new Dictionary<string, string>(request.Labels),
            Annotations = new Dictionary<string, string>(request.Annotations),
            Volumes = request.Volumes.ToList(),
            TerminationGracePeriodSeconds = request.TerminationGracePeriodSeconds,
        };
        RecordSandboxPlan(record, plan);
        RecordNetworkChoice(record, request, network);
        if (PodPidsLimit is { } podPids && record.Resources?.PidsLimit is null)
        {
            // Kept with the pod's own limits, so every later write of the pod cgroup (a container added, a class move) keeps it.
            record.Resources ??= new ResourceRequirements();
            record.Resources.PidsLimit = podPids;
        }
        // A whole-pod create places the pod where all its containers put it, so none of them moves it.
        record.QosClass = request.Containers.Count > 0
            ? QosPolicy.Compute(request.Containers.Select(c => c.ToResources()), request.Resources)
            : ComputeClass(record, Array.Empty<ContainerRecord>());
        ResourceRules.CheckAssertedClass(record.Name, record.AssertedQosClass, record.QosClass, request.Containers.Count > 0 ? string.Join(", ", request.Containers.Select(c => c.Name)) : "(none)");
        record.CgroupPath = PodCgroupLayout.PodPath(CgroupRootName, record.QosClass, uid);
        var podLock = LockNewPod(request.Name);
        try
        {
            _store.WritePod(record);
            Sandbox.WriteFiles(record);
            _volumes.Prepare(record);
            Cgroups.Create(record.CgroupPath);
            Cgroups.Create(PodCgroupLayout.PausePath(record.CgroupPath));
            ApplyPodResources(record);
            Sandbox.Start(record, cancel);
            AttachNetwork(record, network, cancel);
            record.Complete = true;
            _store.WritePod(record);
            // A whole-pod create keeps the lock until its last container runs: no session sees it half-filled.
            foreach (var container in request.Containers) AddContainer(record.Name, container, start: true, cancel, wholePod: true);
        }
        catch (Exception e)
        {
            Rollback.Undo(e, () => DestroyPod(record, TimeSpan.Zero, CancellationToken.None));
            if (_store.HasPodDirectory(record.Name)) podLock.Dispose(); // the undo failed: Remove-Pod -Force takes it from here
            else podLock.ReleaseRemoved();
            _store.RemoveEmptyRoot();
            throw;
        }
        podLock.Dispose();
        return ToPod(record);
    }

    /// <summary>
    /// Takes a new pod's lock and makes its folder. The lock is taken before the folder exists and held until the pod
    /// is complete (or rolled back), so a folder found under it without a complete pod.json is a create that died:
    /// reclaimed, never a ghost that blocks the name.
    /// </summary>
    private PodLock LockNewPod(string name)
    {
        var podLock = _store.LockPod(name, LockTimeout, mustExist: false);
        try
        {
            if (_store.TryCreatePodDirectory(name) || ReclaimAbandonedCreate(name)) return podLock;
        }
        catch
        {
            if (_store.HasPodDirectory(name)) podLock.Dispose();
            else podLock.ReleaseRemoved();
            throw;
        }
        podLock.Dispose();
        throw new PodEngineException(ErrorIds.PodAlreadyExists, ErrorCategory.ResourceExists, name,
            $"A pod named '{name}' exists already.",
            $"Choose another name, or remove it first: Remove-Pod {name} -Force.");
    }

    /// <summary>
    /// Under the pod's lock, a folder with no pod.json, or one whose create never finished, is what a session killed
    /// mid-create left: whatever it made is swept from the kernel and the folder made anew. False when it holds a pod.
    /// </summary>
    private bool ReclaimAbandonedCreate(string name)
    {
        var directory = _store.PodDirectory(name);
        var record = _store.ReadPod(name, out _);
        if (record is { Complete: true } || (record is null && File.Exists(Path.Combine(directory, "pod.json")))) return false;
        if (record is not null)
        {
            DestroyPod(record, TimeSpan.Zero, CancellationToken.None);
        }
        else
        {
            DetachNetworkOfUnreadablePod(name, CancellationToken.None);
            Sweeper.Destroy(Sweeper.Find(directory));
            _store.DeletePodDirectory(name);
        }
        return _store.TryCreatePodDirectory(name);
    }

    private static void RecordSandboxPlan(PodRecord record, PodSandboxPlan plan)
    {
        record.Subdomain = plan.Subdomain;
        record.Fqdn = plan.Fqdn;
        record.SetHostnameAsFqdn = plan.SetHostnameAsFqdn;
        record.HostAliases = plan.HostAliases;
        record.SupplementalGroups = plan.SupplementalGroups;
        record.FsGroup = plan.FsGroup;
        record.FsGroupChangePolicy = plan.FsGroupChangePolicy;
        record.SupplementalGroupsPolicy = plan.SupplementalGroupsPolicy;
        record.Sysctls = plan.Sysctls;
    }

    public IEnumerable<Pod> GetPods()
    {
        try
        {
            return _store.ListPodNames().Select(ReadPodView).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            RequireRoot();
            throw;
        }
    }

    public Pod? GetPod(string name)
    {
        try
        {
            return NameValidator.IsSubdomain(name) && Directory.Exists(_store.PodDirectory(name)) ? ReadPodView(name) : null;
        }
        catch (UnauthorizedAccessException)
        {
            RequireRoot();
            throw;
        }
    }

    public bool HasPod(string name) => NameValidator.IsSubdomain(name) && Directory.Exists(_store.PodDirectory(name));

    private PodRecord LoadPod(string name)
    {
        var record = _store.ReadPod(name, out var problem);
        if (record is not null) return record;
        if (!Directory.Exists(_store.PodDirectory(name))) throw PodEngineException.PodNotFound(name);
        if (!_store.IsPodLockedHere(name))
        {
            // Another session may be between making the folder and writing pod.json, or removing the pod: read again
            // once it lets go (a pod removed meanwhile is PodNotFound from the lock).
            using (_store.LockPod(name, LockTimeout)) record = _store.ReadPod(name, out problem);
            if (record is not null) return record;
        }
        throw new PodEngineException(ErrorIds.PodStateUnreadable, ErrorCategory.InvalidData, name,
            $"The state of pod '{name}' cannot be read: {problem?.TrimEnd('.')}.", $"Remove it with Remove-Pod {name} -Force: its processes, mounts and cgroups are found from the kernel.");
    }

    /// <summary>The pod as Get-Pod shows it; a pod whose state cannot be read is still listed, as Unknown with the reason.</summary>
    private Pod ReadPodView(string name)
    {
        string? problem;
        try
        {
            var record = _store.ReadPod(name, out problem);
            if (record is not null) return Status.ReadPod(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            if (e is UnauthorizedAccessException) RequireRoot();
            problem = e.Message;
        }
        var directory = _store.PodDirectory(name);
        if (!File.Exists(Path.Combine(directory, "pod.json")))
        {
            // A create between its mkdir and its first pod.json, in another session; or one that died there.
            if (_store.IsPodLocked(name)) return PodStatusMapper.Creating(name, directory);
            problem = "pod.json is missing: its create did not finish and the session that made it is gone";
        }
        return PodStatusMapper.Unreadable(name, directory, problem);
    }

    private bool PauseAlive(PodRecord record) => Sandbox.IsAlive(record);

    private Pod ToPod(PodRecord record) => Status.ReadPod(record);

    public Pod StartPod(string name, CancellationToken cancel)
    {
        RequireRoot();
        var record = LoadPod(name);
        using (_store.LockPod(name, LockTimeout))
        {
            if (!PauseAlive(record))
            {
                // A dead sandbox cannot be rejoined: like kubelet, make a new one, then start the containers in it.
                foreach (var container in _store.ListContainerNames(name)) Stopper.Stop(record, container, TimeSpan.Zero, cancel);
                DetachNetwork(record, cancel);
                Sandbox.ReleaseMounts(record);
                Sandbox.Start(record, cancel);
                ReattachNetwork(record, cancel);
                _store.WritePod(record);
            }
            foreach (var container in _store.ListContainerNames(name))
            {
                if (ContainerShimAlive(record, container)) continue;
                StartContainerLocked(record, container, cancel);
            }
        }
        return ToPod(record);
    }

    public Pod StopPod(string name, TimeSpan timeout, CancellationToken cancel)
    {
        RequireRoot();
        var record = LoadPod(name);
        using (_store.LockPod(name, LockTimeout))
        {
            StopPodLocked(record, timeout, cancel);
            // As kubelet's StopPodSandbox: the stopped pod gives its address back; Start-Pod gets a new one.
            DetachNetwork(record, cancel);
            _store.WritePod(record);
        }
        return ToPod(record);
    }

    private void StopPodLocked(PodRecord record, TimeSpan timeout, CancellationToken cancel)
    {
        ThawPod(record);
        // Containers first, then the sandbox whose namespaces they hold.
        Stopper.StopAll(record, timeout, cancel);
        Sandbox.Stop(record, cancel);
    }

    public void RemovePod(string name, bool force, TimeSpan timeout, CancellationToken cancel)
    {
        RequireRoot();
        if (!HasPod(name))
        {
            _store.RemoveEmptyRoot(); // and with it the lock file of a create killed before it made the folder
            throw PodEngineException.PodNotFound(name);
        }
        // Held until the folder is gone (and the lock file with it): adds and creates of this pod wait, then find no pod.
        var podLock = _store.LockPod(name, LockTimeout);
        try
        {
            RemovePodLocked(name, force, timeout, cancel);
        }
        catch
        {
            if (_store.HasPodDirectory(name)) podLock.Dispose();
            else podLock.ReleaseRemoved();
            throw;
        }
        podLock.ReleaseRemoved();
        _store.RemoveEmptyRoot();
    }

    private void RemovePodLocked(string name, bool force, TimeSpan timeout, CancellationToken cancel)
    {
        var record = _store.ReadPod(name, out var problem);
        if (record is null)
        {
            var directory = _store.PodDirectory(name);
            if (!Directory.Exists(directory)) throw PodEngineException.PodNotFound(name);
            // No readable pod.json (a create that died early, a file broken by hand or a full disk): the kernel says what is left.
            var found = Sweeper.Find(directory);
            if (found.Processes.Count > 0 && !force)
            {
                throw new PodEngineException(ErrorIds.PodRunning, ErrorCategory.ResourceBusy, name,
                    $"Pod '{name}' has unreadable state ({problem}) and {found.Processes.Count} processes still running.", $"Remove it with -Force: Remove-Pod {name} -Force.");
            }
            DetachNetworkOfUnreadablePod(name, cancel);
            Sweeper.Destroy(found);
            _store.DeletePodDirectory(name);
            return;
        }
        var running = PauseAlive(record) || _store.ListContainerNames(name).Any(c => ContainerShimAlive(record, c));
        if (running && !force)
        {
            throw new PodEngineException(ErrorIds.PodRunning, ErrorCategory.ResourceBusy, name,
                $"Pod '{name}' is running.", $"Stop it first (Stop-Pod {name}), or remove it with -Force.");
        }
        DestroyPod(record, timeout, cancel);
    }

    /// <summary>Undoes everything a pod may have: processes, mounts, cgroups and its folder. Safe on half-made pods.</summary>
    private void DestroyPod(PodRecord record, TimeSpan grace, CancellationToken cancel)
    {
        StopPodLocked(record, grace, cancel);
        Sandbox.KillUnrecorded(record);
        // DEL while the namespace is still pinned, so the plugins remove the pod's interface too.
        PodEngineException? teardown = null;
        try
        {
            DetachNetwork(record, cancel);
        }
        catch (PodEngineException e)
        {
            teardown = e;
        }
        Sandbox.ReleaseMounts(record);
        _volumes.Release(record.Name);
        var directory = _store.PodDirectory(record.Name);
        // What the state files no longer name (a container.json or status.json broken, a shim the record missed).
        Sweeper.Destroy(Sweeper.Find(directory, record.CgroupPath));
        if (!string.IsNullOrEmpty(record.CgroupPath))
        {
            Cgroups.Remove(record.CgroupPath, "");
        }
        // The folder (with the network cache) stays so that Remove-Pod -Force can run DEL again.
        if (teardown is not null) throw teardown;
        var containers = _store.ListContainerNames(record.Name).Select(n => _store.ReadContainer(record.Name, n)).OfType<ContainerRecord>().ToList();
        _store.DeletePodDirectory(record.Name);
        foreach (var container in containers.Where(c => c.ImageId is not null)) ReleaseImage(container);
        // The callers empty the root once the pod's lock file is gone too.
    }
}
