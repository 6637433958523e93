using System;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Removes a container: its processes, cgroup and state.</summary>
[Cmdlet(VerbsCommon.Remove, "PodContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemovePodContainerCommand : ContainerCmdletBase
{
    /// <summary>Stops a running container first, and is quiet when it is gone already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        if (!ShouldProcessUnlessForced(Force, $"{Pod}/{Name}", "Remove container")) return;
        var engine = EngineRegistry.Owner(Pod);
        if (engine is null)
        {
            if (!Force) WriteEngineError(PodEngineException.PodNotFound(Pod));
            return;
        }
        RunItem(() =>
        {
            try
            {
                engine.RemoveContainer(Pod, Name, Force, TimeSpan.FromSeconds(Timeout), Cancellation);
            }
            catch (PodEngineException e) when (Force && e.ErrorId == ErrorIds.ContainerNotFound)
            {
            }
        });
    }
}
