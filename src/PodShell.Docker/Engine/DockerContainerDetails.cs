using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>What only the Docker engine knows of a container.</summary>
public sealed class DockerContainerDetails : ContainerEngineDetails
{
    public string ContainerId { get; init; } = "";
    public string ContainerName { get; init; } = "";
    /// <summary>The image's id (sha256:...) that the container runs.</summary>
    public string ImageId { get; init; } = "";
    /// <summary>Docker's own status word (created, running, restarting, exited...).</summary>
    public string Status { get; init; } = "";
    /// <summary>HostConfig's namespace modes: container:&lt;sandbox id&gt;, host, or empty for its own.</summary>
    public string NetworkMode { get; init; } = "";
    public string IpcMode { get; init; } = "";
    public string PidMode { get; init; } = "";

    public override string ToString() => ContainerName;
}
