using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>What Wait-PodContainer waits for.</summary>
public enum WaitCondition { Running, Ready, Exited }

/// <summary>
/// Waits until a container is running, ready or exited, like kubectl wait / docker wait; returns the
/// container as it is then. Ready is Kubernetes' rule for a container without a readiness probe: running.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PodContainer")]
[OutputType(typeof(PodContainer))]
public sealed class WaitPodContainerCommand : ContainerCmdletBase
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Parameter]
    public WaitCondition For { get; set; } = WaitCondition.Running;

    /// <summary>Seconds to wait at most (default 30); a WaitTimeout error after that. -1 waits for ever.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        var engine = FindEngine(Pod);
        if (engine is null) return;
        var name = ResolveContainer(engine);
        if (name is null) return;
        RunItem(() =>
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var container = engine.GetContainers(Pod).FirstOrDefault(c => c.Name == name)
                    ?? throw PodEngineException.ContainerNotFound(Pod, name);
                if (Reached(container))
                {
                    WriteVerbose($"Container '{Pod}/{name}' is {For} after {clock.Elapsed.TotalSeconds:0.###} s.");
                    WriteObject(container);
                    return;
                }
                if (For != WaitCondition.Exited && container.State == ContainerState.Exited && !WillRestart(container))
                {
                    throw new PodEngineException("ContainerExited", ErrorCategory.InvalidResult, $"{Pod}/{name}",
                        $"Container '{name}' of pod '{Pod}' exited (exit code {container.ExitCode}, {container.Reason}) and is not restarted, so it will never be {For}.",
                        $"Read why with Get-PodLog {Pod} {name}.");
                }
                if (Timeout >= 0 && clock.Elapsed >= TimeSpan.FromSeconds(Timeout))
                {
                    throw new PodEngineException("WaitTimeout", ErrorCategory.OperationTimeout, $"{Pod}/{name}",
                        $"Container '{name}' of pod '{Pod}' is still {container.State}{(container.Reason is null ? "" : $" ({container.Reason})")}, not {For}, after {Timeout} s.",
                        $"Wait longer with -Timeout, or see what it does: Get-PodContainer {Pod} {name} | Format-List; Get-PodLog {Pod} {name}.");
                }
                WriteProgress(new ProgressRecord(1, "Wait-PodContainer", $"Waiting for {Pod}/{name} to be {For} (now {container.State})"));
                Cancellation.WaitHandle.WaitOne(Poll);
                Cancellation.ThrowIfCancellationRequested();
            }
        });
        WriteProgress(new ProgressRecord(1, "Wait-PodContainer", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private bool Reached(PodContainer container) => For switch
    {
        // PodShell has no probes: without a readiness probe Kubernetes calls a running container ready.
        WaitCondition.Running or WaitCondition.Ready => container.State == ContainerState.Running,
        _ => container.State == ContainerState.Exited,
    };

    private static bool WillRestart(PodContainer container) => container.RestartPolicy switch
    {
        RestartPolicy.Always => true,
        RestartPolicy.OnFailure => container.ExitCode is not 0,
        _ => false,
    };
}
