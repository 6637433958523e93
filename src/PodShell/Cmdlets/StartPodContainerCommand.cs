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
        var engine = FindEngine(Pod);
        if (engine is null) return;
        var name = ResolveContainer(engine);
        if (name is null || !ShouldProcess($"{Pod}/{name}", "Start container")) return;
        RunItem(() =>
        {
            var container = engine.StartContainer(Pod, name, Cancellation);
            WriteVerbose(VerboseText.ContainerState(container, "Started"));
            if (PassThru) WriteObject(container);
        });
    }
}
