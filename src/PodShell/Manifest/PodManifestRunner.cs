using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>
/// Makes a planned pod on an engine as kubelet starts one: the sandbox, then each init container run to
/// completion in order (a sidecar started and left running), then the app containers. A failure anywhere
/// removes the whole pod and the original error is thrown.
/// </summary>
public sealed class PodManifestRunner
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly IPodEngine _engine;
    private readonly Action<string> _progress;

    public PodManifestRunner(IPodEngine engine, Action<string> progress)
    {
        _engine = engine;
        _progress = progress;
    }

    public Pod Run(PodManifestPlan plan, CancellationToken cancel)
    {
        _progress($"Creating the sandbox of pod '{plan.Name}'");
        plan.Pod.Notice ??= _progress;
        var pod = _engine.CreatePod(plan.Pod, cancel);
        try
        {
            foreach (var container in plan.Containers)
            {
                cancel.ThrowIfCancellationRequested();
                var kind = container.IsSidecar ? "sidecar" : container.IsInit ? "init container" : "container";
                _progress($"Starting {kind} '{container.Name}'");
                _engine.AddContainer(plan.Name, WithPodIp(container.Request, pod.IP ?? ""), start: true, cancel);
                if (container.IsSidecar) WaitUntilRunning(plan.Name, container.Name, cancel);
                else if (container.IsInit) WaitUntilSucceeded(plan.Name, container, cancel);
            }
        }
        catch (Exception)
        {
            _engine.RemovePod(plan.Name, force: true, TimeSpan.Zero, CancellationToken.None);
            throw;
        }
        return _engine.GetPod(plan.Name) ?? pod;
    }

    /// <summary>status.podIP as Kubernetes gives it: the pod's IP, known only after its sandbox joined its network.</summary>
    private static ContainerCreateRequest WithPodIp(ContainerCreateRequest request, string ip)
    {
        string Fill(string text) => text.Replace(ManifestTranslator.PodIpReference, ip, StringComparison.Ordinal);
        request.Environment = request.Environment.ToDictionary(e => e.Key, e => Fill(e.Value));
        request.Args = request.Args.Select(Fill).ToList();
        return request;
    }

    private PodContainer Current(string pod, string name) =>
        _engine.GetContainers(pod).FirstOrDefault(c => c.Name == name) ?? throw PodEngineException.ContainerNotFound(pod, name);

    private void WaitUntilRunning(string pod, string name, CancellationToken cancel)
    {
        while (true)
        {
            var c = Current(pod, name);
            if (c.State == ContainerState.Running) return;
            if (c.State == ContainerState.Exited)
            {
                throw new PodEngineException("SidecarFailed", ErrorCategory.InvalidResult, $"{pod}/{name}",
                    $"Sidecar '{name}' of pod '{pod}' exited (code {c.ExitCode}) before the containers after it could start.",
                    $"See its log: Get-PodLog {pod} {name}.");
            }
            cancel.WaitHandle.WaitOne(Poll);
            cancel.ThrowIfCancellationRequested();
        }
    }

    private void WaitUntilSucceeded(string pod, PlannedContainer container, CancellationToken cancel)
    {
        var restarts = -1;
        while (true)
        {
            var c = Current(pod, container.Name);
            if (c.State == ContainerState.Exited && c.ExitCode == 0)
            {
                // With OnFailure the shim restarts a failed run; only a clean exit ends the wait.
                return;
            }
            if (c.State == ContainerState.Exited && container.Request.RestartPolicy == RestartPolicy.Never)
            {
                throw new PodEngineException("InitContainerFailed", ErrorCategory.InvalidResult, $"{pod}/{container.Name}",
                    $"Init container '{container.Name}' of pod '{pod}' failed (exit code {c.ExitCode}, {c.Reason}); the pod's restartPolicy is Never, so it is not run again.",
                    $"Fix the init container; its output was: Get-PodLog {pod} {container.Name} (before the pod was removed).");
            }
            if (c.RestartCount != restarts)
            {
                restarts = c.RestartCount;
                if (restarts > 0) _progress($"Init container '{container.Name}' failed; restarting it (restart {restarts})");
            }
            cancel.WaitHandle.WaitOne(Poll);
            cancel.ThrowIfCancellationRequested();
        }
    }
}
