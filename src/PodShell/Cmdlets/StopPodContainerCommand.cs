using System;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a container: SIGTERM, then SIGKILL after -Timeout seconds. It is not restarted.</summary>
[Cmdlet(VerbsLifecycle.Stop, "PodContainer", SupportsShouldProcess = true)]
[OutputType(typeof(PodContainer))]
public sealed class StopPodContainerCommand : ContainerCmdletBase
{
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Pod}/{Name}", "Stop container")) return;
        var engine = FindEngine(Pod);
        if (engine is null) return;
        RunItem(() =>
        {
            var container = engine.StopContainer(Pod, Name, TimeSpan.FromSeconds(Timeout), Cancellation);
            if (PassThru) WriteObject(container);
        });
    }
}
