using System;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Which container a container cmdlet acts on when none is named: kubectl's rule for logs and exec.</summary>
internal static class ContainerTarget
{
    /// <summary>
    /// The named container, else the pod's only one. With none or several, a ContainerNameRequired error
    /// (listing them) is written and null returned.
    /// </summary>
    public static string? Resolve(PodEngineCmdletBase cmdlet, IPodEngine engine, string pod, string? name, string parameter)
    {
        if (!string.IsNullOrEmpty(name)) return name;
        string[] names;
        try
        {
            names = engine.GetContainers(pod).Select(c => c.Name).ToArray();
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e))
        {
            cmdlet.WriteError(ErrorBoundary.ToErrorRecord(e));
            return null;
        }
        if (names.Length == 1) return names[0];
        var message = names.Length == 0
            ? $"Pod '{pod}' has no containers."
            : $"Pod '{pod}' has {names.Length} containers ({string.Join(", ", names)}): say which one.";
        var action = names.Length == 0
            ? $"Add one with Add-PodContainer -Pod {pod} -Name <name> -Command <command>."
            : $"Name it with {parameter} {names[0]}, for example: {cmdlet.MyInvocation.MyCommand.Name} {pod} {names[0]}.";
        cmdlet.WriteError(PodCmdletBase.MakeError(ErrorIds.ContainerNameRequired, ErrorCategory.InvalidArgument, pod, message, action));
        return null;
    }
}
