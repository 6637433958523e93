using PodShell.Model;

namespace PodShell.Native;

/// <summary>Where the native engine keeps a container on the node.</summary>
public sealed class NativeContainerDetails : ContainerEngineDetails
{
    /// <summary>The container's state folder: container.json, config.json, status.json, shim.log.</summary>
    public string StateDirectory { get; init; } = "";
    /// <summary>The container's log in the CRI format (what Get-PodLog reads).</summary>
    public string LogPath { get; init; } = "";
    /// <summary>The rootfs's lower layer on the node: "/" for the host image, else the -RootFs folder.</summary>
    public string RootFs { get; init; } = "";

    public override string ToString() => StateDirectory;
}
