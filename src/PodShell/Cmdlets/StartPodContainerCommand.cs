using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Starts a created or exited container in its pod's namespaces.</summary>
[Cmdlet(VerbsLifecycle.Start, "PodContainer", SupportsShouldProcess = true)]
[OutputType(typeof(PodContainer))]
public sealed class StartPodContainerCommand : ContainerCmdletBase
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Pod}/{Name}", "Start container")) return;
        var engine = FindEngine(Pod);
        if (engine is null) return;
        RunItem(() =>
        {
            var container = engine.StartContainer(Pod, Name, Cancellation);
            if (PassThru) WriteObject(container);
        });
    }
}
