using System;
using System.Management.Automation;
using PodShell.Completion;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Stop-Pod and Restart-Pod: pods by name, and the grace period their containers get.</summary>
public abstract class PodStopCmdletBase : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>The grace period: seconds each container gets to exit after SIGTERM before SIGKILL (0 kills at once); by default the pod's own TerminationGracePeriodSeconds (30 unless its manifest said otherwise).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>-Timeout when given, else the pod's own grace period.</summary>
    private protected TimeSpan GraceFor(IPodEngine engine, string name) =>
        GracePeriod.For(this, Timeout, MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? null : engine.GetPod(name));
}
