using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Cgroups;
using PodShell.Docker.Connection;
using PodShell.Docker.Images;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>
/// Pods through the Docker Engine API, as the article's third part builds them by hand: a pause container
/// (PodShell's own podshell-init) with a shareable IPC namespace and the pod's hostname under the pod's
/// cgroup parent, and containers that join its network and IPC (and pid) namespaces. Everything is found
/// again from Kubernetes' labels, so the daemon is the only state; nothing is kept on this side.
/// </summary>
public sealed partial class DockerEngine : IPodEngine
{
    private const string PodNamespace = "default";
    private static readonly TimeSpan SandboxStopTimeout = TimeSpan.FromSeconds(2);
    private readonly DockerEndpoint _endpoint;
    private readonly object _gate = new();
    private DockerConnection? _connection;
    private Lazy<CgroupManager?>? _cgroups;

    public DockerEngine(DockerEndpoint endpoint)
    {
        _endpoint = endpoint;
    }

    public PodEngineKind Kind => PodEngineKind.Docker;
    public DockerEndpoint Endpoint => _endpoint;

    /// <summary>The client, connected (and the API version negotiated) on first use; a failed connect is retried next time.</summary>
    internal DockerConnection Docker(CancellationToken cancel = default)
    {
        lock (_gate)
        {
            if (_connection is not null) return _connection;
            _connection = DockerConnection.Open(_endpoint, cancel);
            return _connection;
        }
    }

    /// <summary>
    /// The node's cgroups, when the daemon runs on this node with the cgroupfs driver: then the pod cgroup
    /// is PodShell's to size and to remove (systemd owns slices; a remote daemon's cgroups are not here).
    /// </summary>
    private CgroupManager? PodCgroups
    {
        get
        {
            var docker = Docker();
            _cgroups ??= new Lazy<CgroupManager?>(() =>
                _endpoint.IsLocal && !docker.UsesSystemd ? new CgroupManager(CgroupFileSystem.Detect()) : null);
            return _cgroups.Value;
        }
    }

    /// <summary>Runs one API call, turning "daemon unreachable" into DockerUnavailable and API errors into engine errors.</summary>
    internal T Call<T>(Func<DockerClient, Task<T>> call, CancellationToken cancel, object? target = null)
    {
        var docker = Docker(cancel);
        try
        {
            return DockerConnection.Run(() => call(docker.Client), cancel);
        }
        catch (Exception e) when (DockerConnection.IsUnreachable(e) && e is not DockerApiException)
        {
            throw DockerConnection.Unavailable(_endpoint, e);
        }
        catch (DockerApiException e) when (e is not DockerContainerNotFoundException and not DockerImageNotFoundException)
        {
            throw Failed(target, e);
        }
    }

    internal void Call(Func<DockerClient, Task> call, CancellationToken cancel, object? target = null) =>
        Call(async c => { await call(c).ConfigureAwait(false); return true; }, cancel, target);

    internal static PodEngineException Failed(object? target, DockerApiException e) => new(
        ErrorIds.DockerFailed, ErrorCategory.InvalidOperation, target,
        $"The Docker daemon refused: {DaemonMessage(e)}", null, e);

    /// <summary>The daemon's own words ({"message":"..."}), not the library's wrapper text.</summary>
    internal static string DaemonMessage(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        const string key = "\"message\":\"";
        var at = body.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return body.Length > 0 ? body : e.Message;
        var start = at + key.Length;
        var end = body.IndexOf('"', start);
        return end > start ? body[start..end].Replace("\\\"", "\"") : body;
    }

    // ---- pods ----

    public Pod CreatePod(PodCreateRequest request, CancellationToken cancel)
    {
        NameValidator.ValidatePodName(request.Name);
        var hostNetwork = request.HostNetwork || Is(request.Network, NetworkHost);
        var hostname = hostNetwork ? Environment.MachineName : request.Hostname ?? NameValidator.HostnameFor(request.Name);
        NameValidator.ValidateHostname(hostname);
        var plan = PodSandboxPlan.Plan(request, hostname);
        DockerPodSettings.CheckSupported(plan, request.Name);
        foreach (var container in request.Containers) ValidateContainerRequest(container);
        VolumeRules.ValidateVolumes(request.Volumes);
        DockerVolumes.CheckReachable(this, request.Name, request.Volumes, plan.FsGroup);
        var docker = Docker(cancel);
        if (FindSandbox(request.Name, cancel) is not null)
        {
            throw new PodEngineException(ErrorIds.PodAlreadyExists, ErrorCategory.ResourceExists, request.Name,
                $"A pod named '{request.Name}' exists already (in the Docker daemon at {_endpoint.Display}).",
                $"Choose another name, or remove it first: Remove-Pod {request.Name} -Force.");
        }
        var networkMode = ChooseNetwork(request, cancel);
        hostNetwork = networkMode == NetworkHost;
        if (hostNetwork) hostname = Environment.MachineName;
        var (exposedPorts, portBindings) = PublishedPorts(request.Ports);
        var pauseImage = PauseImage.Ensure(docker, cancel);
        var uid = request.Uid ?? Guid.NewGuid().ToString();
        // The class as Kubernetes computes it from the containers the request brings (a -QosClass assertion wins).
        // Docker cannot move a running container to another cgroup parent: a pod whose containers come later
        // waits in burstable, the class that admits any of them.
        var known = request.Containers.Count > 0 || request.Resources is { HasNoComputeResources: false };
        var qos = request.QosClass ?? (known ? QosPolicy.Compute(request.Containers.Select(c => c.ToResources()), request.Resources) : QosClass.Burstable);
        var podPath = DockerCgroupLayout.PodPath(DockerCgroupLayout.RootName, qos, uid);
        var cgroupParent = DockerCgroupLayout.CgroupParent(podPath, docker.UsesSystemd);
        // A manifest's metadata.namespace (kubelet's container names and labels carry it; the FQDN too).
        var kubeNamespace = PodHostnames.NamespaceOf(request.Labels);
        var labels = new Dictionary<string, string>(request.Labels)
        {
            [DockerLabels.PodName] = request.Name,
            [DockerLabels.PodNamespace] = kubeNamespace,
            [DockerLabels.PodUid] = uid,
            [DockerLabels.ContainerName] = DockerLabels.PauseContainerName,
            [DockerLabels.ContainerType] = DockerLabels.ContainerTypeSandbox,
            [DockerLabels.Hostname] = plan.KernelHostname,
            [DockerLabels.QosClass] = qos.ToString(),
            [DockerLabels.CgroupPath] = docker.UsesSystemd ? DockerCgroupLayout.SlicePath(cgroupParent) : podPath,
            [DockerLabels.ShareProcessNamespace] = request.ShareProcessNamespace ? "true" : "false",
            [DockerLabels.HostNetwork] = hostNetwork ? "true" : "false",
            [DockerLabels.HostIpc] = request.HostIpc ? "true" : "false",
            [DockerLabels.HostPid] = request.HostPid ? "true" : "false",
            [DockerLabels.Volumes] = DockerVolumes.Describe(request.Volumes),
        };
        DockerPodSettings.AddLabels(labels, plan);
        foreach (var annotation in request.Annotations) labels[DockerLabels.AnnotationPrefix + annotation.Key] = annotation.Value;
        if (request.TerminationGracePeriodSeconds is { } grace) labels[DockerLabels.TerminationGracePeriod] = grace.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parameters = new CreateContainerParameters
        {
            Name = $"k8s_{DockerLabels.PauseContainerName}_{request.Name}_{kubeNamespace}_{uid}_0",
            Image = pauseImage,
            Hostname = hostNetwork ? null! : plan.KernelHostname,
            Domainname = DockerPodSettings.Domainname(plan, networkMode)!,
            Labels = labels,
            ExposedPorts = exposedPorts!,
            HostConfig = new HostConfig
            {
                NetworkMode = networkMode,
                PortBindings = portBindings!,
                // Containers that share the pause's network (container:) use its resolv.conf.
                DNS = request.Dns?.Nameservers.ToList()!,
                DNSSearch = request.Dns?.Searches.ToList()!,
                DNSOptions = request.Dns?.Options.ToList()!,
                IpcMode = request.HostIpc ? "host" : "shareable",
                PidMode = request.HostPid ? "host" : "",
                CgroupParent = cgroupParent,
                ShmSize = 64L * 1024 * 1024,
                RestartPolicy = new global::Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No },
                // Kubernetes' sandboxes are tiny: the pause process gets the least cpu weight.
                CPUShares = 2,
                Sysctls = plan.Sysctls,
                ExtraHosts = DockerPodSettings.ExtraHosts(plan, networkMode),
                Mounts = DockerVolumes.PauseMounts(uid, request.Volumes),
            },
        };
        string? sandboxId = null;
        try
        {
            PodCgroups?.Create(podPath.TrimStart('/'));
            DockerVolumes.Create(this, request.Name, uid, request.Volumes, plan.FsGroup, cancel);
            sandboxId = Call(c => c.Containers.CreateContainerAsync(parameters, cancel), cancel, request.Name).ID;
            StartSandbox(request.Name, sandboxId, request.Ports.Count > 0, cancel);
            foreach (var container in request.Containers) AddContainer(request.Name, container, start: true, cancel);
        }
        catch (Exception e)
        {
            // All or nothing: whatever was made goes, and the error that stopped the create is the one thrown.
            Rollback.Undo(e, () => DestroyPod(request.Name, uid, podPath, TimeSpan.Zero, CancellationToken.None));
            throw;
        }
        return GetPod(request.Name) ?? throw PodEngineException.PodNotFound(request.Name);
    }

    public IEnumerable<Pod> GetPods()
    {
        if (_endpoint.IsAbsent) return Array.Empty<Pod>();
        var containers = ListPodContainers(null, CancellationToken.None);
        return containers.GroupBy(c => Label(c.Labels, DockerLabels.PodUid) ?? c.ID)
            .Select(g => ToPod(g.ToList(), CancellationToken.None))
            .OfType<Pod>()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    public Pod? GetPod(string name)
    {
        if (!NameValidator.IsSubdomain(name)) return null;
        var group = PodGroup(name, CancellationToken.None);
        return group is null ? null : ToPod(group, CancellationToken.None);
    }

    /// <summary>
    /// Cheap, and quiet when there is no daemon: this is asked for every pod name a cmdlet is given,
    /// whichever engine holds it, so an absent Docker must not turn a native pod's lookup into an error.
    /// </summary>
    public bool HasPod(string name)
    {
        if (!NameValidator.IsSubdomain(name)) return false;
        if (_endpoint.IsUnixSocket && !System.IO.File.Exists(_endpoint.Display)) return false;
        try
        {
            return FindSandbox(name, CancellationToken.None) is not null;
        }
        catch (PodEngineException e) when (e.ErrorId == ErrorIds.DockerUnavailable)
        {
            return false;
        }
    }

    public Pod StartPod(string name, CancellationToken cancel)
    {
        var group = PodGroup(name, cancel) ?? throw PodEngineException.PodNotFound(name);
        var sandbox = Sandbox(group) ?? throw PodEngineException.PodNotFound(name);
        var sandboxState = Inspect(sandbox.ID, cancel);
        var containers = group.Where(c => c != sandbox).ToList();
        if (sandboxState.State?.Running != true)
        {
            // Containers joined the old sandbox's namespaces: like kubelet, stop them, start a fresh sandbox, start them in it.
            StopAll(containers, TimeSpan.Zero, cancel);
            StartSandbox(name, sandbox.ID, publishes: sandboxState.HostConfig?.PortBindings is { Count: > 0 }, cancel);
        }
        foreach (var container in containers)
        {
            if (Inspect(container.ID, cancel).State?.Running == true) continue;
            Call(c => c.Containers.StartContainerAsync(container.ID, new ContainerStartParameters(), cancel), cancel, name);
        }
        return GetPod(name) ?? throw PodEngineException.PodNotFound(name);
    }

    public Pod StopPod(string name, TimeSpan timeout, CancellationToken cancel)
    {
        var group = PodGroup(name, cancel) ?? throw PodEngineException.PodNotFound(name);
        var sandbox = Sandbox(group);
        // Containers first and together (their grace periods overlap, as kubelet's do), then the sandbox.
        StopAll(group.Where(c => c != sandbox).ToList(), timeout, cancel);
        if (sandbox is not null) StopOne(sandbox.ID, SandboxStopTimeout, cancel);
        return GetPod(name) ?? throw PodEngineException.PodNotFound(name);
    }

    public void RemovePod(string name, bool force, TimeSpan timeout, CancellationToken cancel)
    {
        var group = PodGroup(name, cancel) ?? throw PodEngineException.PodNotFound(name);
        if (!force && group.Any(c => c.State is "running" or "restarting" or "paused"))
        {
            throw new PodEngineException(ErrorIds.PodRunning, ErrorCategory.ResourceBusy, name,
                $"Pod '{name}' is running.", $"Stop it first (Stop-Pod {name}), or remove it with -Force.");
        }
        var sandbox = Sandbox(group);
        var uid = Label(group[0].Labels, DockerLabels.PodUid) ?? "";
        var podPath = sandbox is null ? null : Label(sandbox.Labels, DockerLabels.CgroupPath);
        DestroyPod(name, uid, podPath, timeout, cancel);
    }

    /// <summary>Stops and removes every container of the pod (sandbox last), then its cgroup. Safe on half-made pods.</summary>
    private void DestroyPod(string name, string uid, string? podPath, TimeSpan timeout, CancellationToken cancel)
    {
        var group = ListPodContainers(name, cancel).Where(c => Label(c.Labels, DockerLabels.PodUid) == uid).ToList();
        var sandbox = Sandbox(group);
        var containers = group.Where(c => c != sandbox).ToList();
        // With no grace period, removal's own SIGKILL (docker rm -f) is the stop.
        if (timeout > TimeSpan.Zero) StopAll(containers, timeout, cancel);
        RunAll(containers.Select(c => (Action)(() => RemoveOne(c.ID, cancel))), cancel);
        if (sandbox is not null) RemoveOne(sandbox.ID, cancel);
        if (!string.IsNullOrEmpty(podPath) && PodCgroups is { } cgroups) PodCgroupCleanup.RemoveEverywhere(cgroups.FileSystem, podPath);
        if (uid.Length > 0) DockerVolumes.Remove(this, uid, cancel);
    }

    private void StopAll(IReadOnlyList<ContainerListResponse> containers, TimeSpan timeout, CancellationToken cancel)
    {
        var running = containers.Where(c => c.State is "running" or "restarting" or "paused").ToList();
        RunAll(running.Select(c => (Action)(() => StopOne(c.ID, timeout, cancel))), cancel);
    }

    /// <summary>Runs the actions side by side and waits for all; the first failure is rethrown as it was.</summary>
    private static void RunAll(IEnumerable<Action> actions, CancellationToken cancel)
    {
        var tasks = actions.Select(a => Task.Run(a)).ToArray();
        if (tasks.Length == 0) return;
        try
        {
            Task.WaitAll(tasks, cancel);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>docker stop: SIGTERM (or the image's stop signal), SIGKILL after the grace period (whole seconds, rounded up).</summary>
    private void StopOne(string id, TimeSpan timeout, CancellationToken cancel)
    {
        var seconds = (uint)Math.Max(0, Math.Ceiling(timeout.TotalSeconds));
        try
        {
            if (seconds == 0)
            {
                // No grace: SIGKILL at once (a zero t= is dropped from the query, and the daemon would wait its default 10 s).
                Call(c => c.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, cancel), cancel, id);
                WaitStopped(id, cancel);
                return;
            }
            Call(c => c.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, cancel), cancel, id);
        }
        catch (PodEngineException e) when (e.InnerException is DockerApiException { StatusCode: System.Net.HttpStatusCode.Conflict })
        {
            // "is not running": stopped meanwhile.
        }
        catch (DockerContainerNotFoundException)
        {
            // Gone already: stopping is idempotent.
        }
    }

    /// <summary>Waits until the daemon has recorded the container's end (docker wait), so its state reads Exited.</summary>
    private void WaitStopped(string id, CancellationToken cancel)
    {
        try
        {
            Call(c => c.Containers.WaitContainerAsync(id, cancel), cancel, id);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    private void RemoveOne(string id, CancellationToken cancel)
    {
        try
        {
            Call(c => c.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancel), cancel, id);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (PodEngineException e) when (e.InnerException is DockerApiException { StatusCode: System.Net.HttpStatusCode.Conflict } api && DaemonMessage(api).Contains("already in progress", StringComparison.Ordinal))
        {
        }
    }

    // ---- finding pods from labels ----

    /// <summary>Every container with Kubernetes' pod label (all of them, or one pod's), running or not.</summary>
    private IList<ContainerListResponse> ListPodContainers(string? podName, CancellationToken cancel)
    {
        var label = podName is null ? DockerLabels.PodName : $"{DockerLabels.PodName}={podName}";
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        };
        return Call(c => c.Containers.ListContainersAsync(parameters, cancel), cancel, podName);
    }

    /// <summary>The containers of the named pod: of its newest sandbox's uid when a tool (cri-dockerd) kept old attempts.</summary>
    private List<ContainerListResponse>? PodGroup(string name, CancellationToken cancel)
    {
        var all = ListPodContainers(name, cancel);
        var sandbox = all.Where(IsSandbox).OrderByDescending(c => c.Created).FirstOrDefault();
        if (sandbox is null) return null;
        var uid = Label(sandbox.Labels, DockerLabels.PodUid);
        return all.Where(c => Label(c.Labels, DockerLabels.PodUid) == uid).ToList();
    }

    private ContainerListResponse? FindSandbox(string name, CancellationToken cancel) =>
        ListPodContainers(name, cancel).Where(IsSandbox).OrderByDescending(c => c.Created).FirstOrDefault();

    private static ContainerListResponse? Sandbox(IEnumerable<ContainerListResponse> group) =>
        group.Where(IsSandbox).OrderByDescending(c => c.Created).FirstOrDefault();

    private static bool IsSandbox(ContainerListResponse c) =>
        Label(c.Labels, DockerLabels.ContainerType) == DockerLabels.ContainerTypeSandbox ||
        Label(c.Labels, DockerLabels.ContainerName) == DockerLabels.PauseContainerName;

    internal static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private ContainerInspectResponse Inspect(string id, CancellationToken cancel) =>
        Call(c => c.Containers.InspectContainerAsync(id, cancel), cancel, id);
}
