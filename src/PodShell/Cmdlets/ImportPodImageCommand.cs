using System;
using System.Management.Automation;
using System.Net;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Pulls an image from a registry, or loads the images of a docker save / OCI archive, into the engine's image store.</summary>
[Cmdlet(VerbsData.Import, "PodImage", SupportsShouldProcess = true, DefaultParameterSetName = ReferenceSet)]
[OutputType(typeof(PodImage))]
public sealed class ImportPodImageCommand : PodEngineCmdletBase
{
    private const string ReferenceSet = "Reference";
    private const string PathSet = "Path";

    /// <summary>busybox, nginx:1.27, registry.local:5000/team/app@sha256:...</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ReferenceSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Name")]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>A docker save tarball, an OCI archive, or an OCI layout folder.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>A name for the image of an archive that holds one image.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    /// <summary>The registry login; by default the auth files of podman and docker are read.</summary>
    [Parameter(ParameterSetName = ReferenceSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A registries.conf-style file (mirrors, insecure registries) instead of the node's.</summary>
    [Parameter(ParameterSetName = ReferenceSet)]
    [ValidateNotNullOrEmpty]
    public string? RegistryConfig { get; set; }

    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    protected override void ProcessRecord()
    {
        IImageService images;
        try
        {
            images = ImageServices.For(Engine);
        }
        catch (PodEngineException e)
        {
            WriteEngineError(e);
            return;
        }
        if (ParameterSetName == PathSet)
        {
            foreach (var path in Path)
            {
                var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                if (!ShouldProcess(full, "Load images")) continue;
                RunItem(() =>
                {
                    var pump = new ImageProgressPump(this);
                    var loaded = pump.Run(() => images.ImportArchive(new ImageArchiveRequest { Path = full, Tag = Tag }, pump, Cancellation));
                    foreach (var image in loaded) WriteObject(image);
                });
            }
            return;
        }
        var credential = Credential?.GetNetworkCredential();
        var configPath = RegistryConfig is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(RegistryConfig);
        foreach (var reference in Reference)
        {
            if (!ShouldProcess(reference, "Pull image")) continue;
            RunItem(() =>
            {
                var pump = new ImageProgressPump(this);
                WriteObject(pump.Run(() => images.PullImage(
                    new ImagePullRequest { Reference = reference, Credential = credential, RegistryConfigPath = configPath }, pump, Cancellation)));
            });
        }
    }
}
