using System;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a pod's containers (SIGTERM, then SIGKILL after -Timeout) and its sandbox. Stopping a stopped pod is fine.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class StopPodCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Seconds each container gets to exit after SIGTERM before SIGKILL (Kubernetes' grace period).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, "Stop pod")) continue;
            var engine = FindEngine(name);
            if (engine is null) continue;
            WriteProgress(new ProgressRecord(1, "Stop-Pod", $"Stopping pod {name}"));
            RunItem(() =>
            {
                var pod = engine.StopPod(name, TimeSpan.FromSeconds(Timeout), Cancellation);
                if (PassThru) WriteObject(pod);
            });
        }
        WriteProgress(new ProgressRecord(1, "Stop-Pod", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
