using System;
using System.Collections.Generic;
using System.Threading;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// What every backend does; the cmdlets talk only to this. No third-party type and no native-only
/// concept (state file paths, process start infos) crosses it: exec and logs are streams.
/// </summary>
public interface IPodEngine
{
    PodEngineKind Kind { get; }

    /// <summary>
    /// Makes the sandbox and, when <see cref="PodCreateRequest.Containers"/> is non-empty, every container in
    /// order (started). Any failure rolls back everything made so far, and the original error is thrown.
    /// </summary>
    Pod CreatePod(PodCreateRequest request, CancellationToken cancel);
    IEnumerable<Pod> GetPods();
    Pod? GetPod(string name);
    /// <summary>Whether this engine holds a pod of that name (cheap: no process or container state is read).</summary>
    bool HasPod(string name);
    Pod StartPod(string name, CancellationToken cancel);
    Pod StopPod(string name, TimeSpan timeout, CancellationToken cancel);
    void RemovePod(string name, bool force, TimeSpan timeout, CancellationToken cancel);

    PodContainer AddContainer(string pod, ContainerCreateRequest request, bool start, CancellationToken cancel);
    IEnumerable<PodContainer> GetContainers(string pod);
    PodContainer StartContainer(string pod, string name, CancellationToken cancel);
    PodContainer StopContainer(string pod, string name, TimeSpan timeout, CancellationToken cancel);
    void RemoveContainer(string pod, string name, bool force, TimeSpan timeout, CancellationToken cancel);

    /// <summary>Runs one command inside a running container; its output goes to <paramref name="output"/> as it comes. Returns the exit code.</summary>
    int Exec(string pod, string container, ExecRequest request, IExecOutput output, CancellationToken cancel);

    /// <summary>
    /// The container's log, lazily: enumerated on the caller's thread. With <see cref="LogQuery.Follow"/> it
    /// yields until the container stops, or throws OperationCanceledException when <paramref name="cancel"/> fires.
    /// </summary>
    IEnumerable<ContainerLogEntry> ReadLog(string pod, string container, LogQuery query, CancellationToken cancel);

    /// <summary>
    /// Changes a running (or stopped) container's resources live; returns the container as it is after the change.
    /// An empty container name changes the pod's own (pod-level) resources, where the engine has them; the result is
    /// then the pod's first container, or null when it has none.
    /// </summary>
    PodContainer UpdateResources(string pod, string container, ResourceUpdate update, CancellationToken cancel);
}
