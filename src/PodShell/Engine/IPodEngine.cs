using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>What every backend does; the cmdlets talk only to this.</summary>
public interface IPodEngine
{
    PodEngineKind Kind { get; }

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

    /// <summary>A process that runs one command inside a running container, its output on stdout/stderr.</summary>
    ProcessStartInfo CreateExec(string pod, string name, IReadOnlyList<string> args, string? workingDirectory, IDictionary<string, string>? environment);
    /// <summary>The container's log in the CRI format.</summary>
    string GetLogPath(string pod, string name);
}
