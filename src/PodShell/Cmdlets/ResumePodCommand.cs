using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Thaws a pod that Suspend-Pod froze, like podman pod unpause. Resuming a pod that is not paused is fine.</summary>
[Cmdlet(VerbsLifecycle.Resume, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class ResumePodCommand : PodFreezerCmdletBase
{
    protected override string Action => "Resume pod";

    protected override Pod Apply(IPodFreezer freezer, string name) => freezer.ResumePod(name, Cancellation);
}
