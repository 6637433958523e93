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
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Skips the confirmation prompt, stops a running pod first, removes half-made pods, and is quiet when the pod is gone already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The grace period for a running pod (with -Force): seconds between SIGTERM and SIGKILL for each container; by default the pod's own (TerminationGracePeriodSeconds, 30 unless its manifest said otherwise).</summary>
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
                    var before = engine.GetPod(name);
                    var grace = GracePeriod.For(this, Timeout, before);
                    engine.RemovePod(name, Force, grace, Cancellation);
                    WriteVerbose(before is null
                        ? $"Removed what a half-made pod '{name}' had left."
                        : $"Removed pod '{name}': {before.Containers.Length} container(s) ({string.Join(", ", System.Linq.Enumerable.Select(before.Containers, c => c.Name))}) and the pause process stopped" +
                          $" (grace period {grace.TotalSeconds} s), its namespaces released, cgroup {before.CgroupPath} and its state removed.");
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
