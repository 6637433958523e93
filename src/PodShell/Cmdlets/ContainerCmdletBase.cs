using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>Parameters shared by the cmdlets that act on one container: PodContainer objects bind by property name.</summary>
public abstract class ContainerCmdletBase : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Container", "ContainerName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";
}
