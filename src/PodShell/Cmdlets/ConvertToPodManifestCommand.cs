using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>Writes pods as Kubernetes v1 Pod manifests (YAML text, `---` between pods), like kubectl get pod -o yaml.</summary>
[Cmdlet(VerbsData.ConvertTo, "PodManifest", DefaultParameterSetName = PodSet)]
[OutputType(typeof(string))]
public sealed class ConvertToPodManifestCommand : PodManifestOutputBase
{
    protected override void EndProcessing()
    {
        if (Documents.Count > 0) WriteObject(Yaml());
    }
}
