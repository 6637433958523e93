using System;
using System.Linq;
using System.Management.Automation;
using PodShell.Completion;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>
/// Invoke-PodCommand foo app -- hostname: when no pod was named (-Pod) or piped, the words before the
/// command name the pod and, when the pod has a container by that name, the container.
/// </summary>
internal static class PositionalTarget
{
    public static (string? Pod, string? Container, string[] Command) Split(PodCmdletBase cmdlet, string pod, string? container, string[] command)
    {
        var rest = command;
        if (string.IsNullOrEmpty(pod))
        {
            if (rest.Length == 0)
            {
                cmdlet.WriteError(PodCmdletBase.MakeError(ErrorIds.PodNameRequired, ErrorCategory.InvalidArgument, null,
                    "Name the pod (and the container) the command runs in.", "For example: Invoke-PodCommand foo app -- hostname, or Get-Pod foo | Invoke-PodCommand -- hostname."));
                return (null, null, rest);
            }
            pod = rest[0];
            rest = rest.Skip(1).ToArray();
            // The second word is the container when the pod has one by that name and a command follows it.
            if (container is null && rest.Length > 1 && NameCatalog.ContainerNames(pod).Contains(rest[0], StringComparer.Ordinal))
            {
                container = rest[0];
                rest = rest.Skip(1).ToArray();
            }
        }
        if (rest.Length == 0)
        {
            cmdlet.WriteError(PodCmdletBase.MakeError(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument, pod,
                "No command to run was given.", $"Write the command after '--', for example: Invoke-PodCommand {pod} -- hostname."));
            return (null, null, rest);
        }
        return (pod, container, rest);
    }
}
