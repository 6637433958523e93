using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Freezes every process of a pod (the freezer cgroup), like podman pod pause; the pod shows as Paused.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class SuspendPodCommand : PodFreezerCmdletBase
{
    protected override string Action => "Suspend pod";

    protected override Pod Apply(IPodFreezer freezer, string name) => freezer.SuspendPod(name, Cancellation);
}
