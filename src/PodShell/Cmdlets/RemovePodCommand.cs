using System;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Removes a pod and everything it made: processes, mounts, cgroups and state.</summary>
[Cmdlet(VerbsCommon.Remove, "Pod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemovePodCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Stops a running pod first, removes half-made pods, and is quiet when the pod is gone already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcessUnlessForced(Force, name, "Remove pod")) continue;
            // A half-made pod has no complete record, so no engine claims it: the native store still knows its folder.
            var engine = EngineRegistry.Owner(name) ?? EngineRegistry.Get(Model.PodEngineKind.Native);
            WriteProgress(new ProgressRecord(1, "Remove-Pod", $"Removing pod {name}"));
            RunItem(() =>
            {
                try
                {
                    engine.RemovePod(name, Force, TimeSpan.FromSeconds(Timeout), Cancellation);
                }
                catch (PodEngineException e) when (Force && e.ErrorId == ErrorIds.PodNotFound)
                {
                    // Like rm -f: removing what is already gone is not an error.
                }
            });
        }
        WriteProgress(new ProgressRecord(1, "Remove-Pod", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
