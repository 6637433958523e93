using System;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Removes a container: its processes, cgroup and state.</summary>
[Cmdlet(VerbsCommon.Remove, "PodContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemovePodContainerCommand : ContainerCmdletBase
{
    /// <summary>Stops a running container first, skips the confirmation prompt, and is quiet when it is gone already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The grace period for a running container (with -Force): seconds between SIGTERM and SIGKILL.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        var engine = EngineRegistry.Owner(Pod);
        if (engine is null)
        {
            if (!Force) WriteEngineError(PodEngineException.PodNotFound(Pod));
            return;
        }
        var name = ResolveContainer(engine);
        if (name is null || !ShouldProcessUnlessForced(Force, $"{Pod}/{name}", "Remove container")) return;
        RunItem(() =>
        {
            try
            {
                engine.RemoveContainer(Pod, name, Force, TimeSpan.FromSeconds(Timeout), Cancellation);
                WriteVerbose($"Removed container '{Pod}/{name}': its processes, cgroup and state folder (with its log) are gone.");
            }
            catch (PodEngineException e) when (Force && e.ErrorId == ErrorIds.ContainerNotFound)
            {
            }
        });
    }
}
