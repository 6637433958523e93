using System;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>The grace period of a stop: -Timeout when given, else the pod's own terminationGracePeriodSeconds, as kubelet uses it.</summary>
internal static class GracePeriod
{
    public static TimeSpan For(PSCmdlet cmdlet, int timeout, Pod? pod) =>
        !cmdlet.MyInvocation.BoundParameters.ContainsKey("Timeout") && pod is not null
            ? TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds)
            : TimeSpan.FromSeconds(timeout);
}
