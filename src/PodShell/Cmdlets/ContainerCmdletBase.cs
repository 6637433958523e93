using System.Linq;
using System.Management.Automation;
using PodShell.Completion;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Parameters shared by the cmdlets that act on one container, by position (Pod, then Name) or from the
/// pipeline: a PodContainer names both, a Pod names the pod (its Name is not taken for the container's).
/// Without a container name, a pod's only container is taken; with several, the error lists them.
/// </summary>
public abstract class ContainerCmdletBase : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string Pod { get; set; } = "";

    [Parameter(Position = 1)]
    [Alias("Container", "ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string? Name { get; set; }

    /// <summary>A container from Get-PodContainer (its pod binds to -Pod through PodName).</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PodContainer? InputObject { get; set; }

    /// <summary>The container this record is about (see ContainerTarget.Resolve), or null after an error was written.</summary>
    protected string? ResolveContainer(IPodEngine engine) =>
        ContainerTarget.Resolve(this, engine, Pod, Name ?? (InputObject?.PodName == Pod ? InputObject.Name : null), "-Name");
}
