using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Manifest;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Makes pods from Kubernetes v1 Pod manifests (like kubectl apply on one node, or podman kube play), and
/// says what it did with every field: each pod carries its FieldReport, and -Verbose prints it.
/// </summary>
[Cmdlet(VerbsCommon.New, "Pod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ContentSet)]
[OutputType(typeof(Pod))]
public sealed class NewPodCommand : ManifestCmdletBase
{
    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    /// <summary>The network every pod joins (as podman kube play --network): a network's name, None or Host; by default the engine's default network.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <summary>Refuse a manifest with any field that is not Applied (nothing is made).</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void HandlePlans(IReadOnlyList<PodManifestPlan> plans)
    {
        if (Strict)
        {
            var left = plans.SelectMany(p => p.Report).Where(f => f.Status != ManifestFieldStatus.Applied).ToList();
            if (left.Count > 0)
            {
                var lines = string.Join("; ", left.Select(f => $"{f.Path} ({f.Status}: {f.Reason}, line {f.Line})"));
                WriteError(MakeError("ManifestNotFullyApplied", ErrorCategory.InvalidData, plans[0].Source,
                    $"-Strict: {left.Count} field(s) would not be applied, so nothing was made: {lines}.",
                    "Remove those fields, or run without -Strict and read the FieldReport."));
                return;
            }
        }
        foreach (var plan in plans)
        {
            foreach (var field in plan.Report) WriteVerbose($"{plan.Name}: {field}");
            if (!ShouldProcess(plan.Name, $"Create pod from {plan.Source} ({plan.Containers.Count} container(s), {plan.QosClass})")) continue;
            if (Network is not null) plan.Pod.Network = Network;
            RunItem(() =>
            {
                var progress = new ProgressRecord(1, $"New-Pod {plan.Name}", "Starting");
                var runner = new PodManifestRunner(EngineFor(Engine), step =>
                {
                    WriteVerbose(step);
                    progress.StatusDescription = step;
                    WriteProgress(progress);
                });
                var pod = runner.Run(plan, Cancellation);
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
                var output = PSObject.AsPSObject(pod);
                output.Properties.Add(new PSNoteProperty("FieldReport", plan.Report.ToArray()));
                WriteObject(output);
            });
        }
    }
}
