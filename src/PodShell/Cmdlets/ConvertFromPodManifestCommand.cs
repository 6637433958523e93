using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Manifest;

namespace PodShell.Cmdlets;

/// <summary>Reads Kubernetes Pod manifests into PodShell's plans, with the field report, without making anything.</summary>
[Cmdlet(VerbsData.ConvertFrom, "PodManifest", DefaultParameterSetName = ContentSet)]
[OutputType(typeof(PodManifestPlan))]
public sealed class ConvertFromPodManifestCommand : ManifestCmdletBase
{
    protected override void HandlePlans(IReadOnlyList<PodManifestPlan> plans)
    {
        foreach (var plan in plans) WriteObject(plan);
    }
}
