using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Manifest;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Input of the cmdlets that write pods as manifests: Pod objects from the pipeline, or pod names.</summary>
public abstract class PodManifestOutputBase : PodEngineCmdletBase
{
    protected const string PodSet = "Pod";
    protected const string NameSet = "Name";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public Pod[] InputObject { get; set; } = System.Array.Empty<Pod>();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>The node's seccomp profile root: Localhost profiles are written relative to it (kubelet's by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string SeccompProfileRoot { get; set; } = ManifestTranslator.KubeletSeccompRoot;

    /// <summary>The pods collected from every input, in order; written once at the end as one document stream.</summary>
    protected List<KubeDocument> Documents { get; } = new();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PodSet)
        {
            foreach (var pod in InputObject) Documents.Add(Export(pod));
            return;
        }
        foreach (var name in Name)
        {
            var engine = FindEngine(name);
            if (engine is null) continue;
            RunItem(() =>
            {
                var pod = engine.GetPod(name) ?? throw Engine.PodEngineException.PodNotFound(name);
                Documents.Add(Export(pod));
            });
        }
    }

    private KubeDocument Export(Pod pod) =>
        ManifestExporter.Export(pod, SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeccompProfileRoot), WriteWarning);

    protected string Yaml() => ManifestCodec.Instance.Write(Documents);
}
