using System.IO;
using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>Saves pods as a Kubernetes v1 Pod manifest file, for kubectl apply -f or New-Pod -Path.</summary>
[Cmdlet(VerbsData.Export, "PodManifest", SupportsShouldProcess = true, DefaultParameterSetName = PodSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportPodManifestCommand : PodManifestOutputBase
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrite a file that exists (by default that is an error).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (Documents.Count == 0) return;
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(file) && !Force)
        {
            ThrowTerminating("ManifestFileExists", ErrorCategory.ResourceExists, file, $"'{file}' exists already.", "Pass -Force to overwrite it.");
        }
        if (!ShouldProcess(file, $"Write {Documents.Count} pod manifest(s)")) return;
        File.WriteAllText(file, Yaml());
        if (PassThru) WriteObject(new FileInfo(file));
    }
}
