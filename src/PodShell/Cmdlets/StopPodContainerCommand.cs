using System;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a container: SIGTERM, then SIGKILL after -Timeout seconds. It is not restarted.</summary>
[Cmdlet(VerbsLifecycle.Stop, "PodContainer", SupportsShouldProcess = true)]
[OutputType(typeof(PodContainer))]
public sealed class StopPodContainerCommand : ContainerCmdletBase
{
    /// <summary>The grace period: seconds between SIGTERM and SIGKILL (0: SIGKILL at once).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var engine = FindEngine(Pod);
        if (engine is null) return;
        var name = ResolveContainer(engine);
        if (name is null || !ShouldProcess($"{Pod}/{name}", "Stop container")) return;
        RunItem(() =>
        {
            WriteVerbose($"Stopping container '{Pod}/{name}': SIGTERM, then SIGKILL after {Timeout} s.");
            var container = engine.StopContainer(Pod, name, TimeSpan.FromSeconds(Timeout), Cancellation);
            WriteVerbose(VerboseText.ContainerState(container, "Stopped"));
            if (PassThru) WriteObject(container);
        });
    }
}
