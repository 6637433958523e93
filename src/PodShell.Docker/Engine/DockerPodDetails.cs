using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>What only the Docker engine knows of a pod: its sandbox container and the daemon holding it.</summary>
public sealed class DockerPodDetails : PodEngineDetails
{
    /// <summary>The pause container's id (the sandbox, as crictl's POD ID).</summary>
    public string SandboxContainerId { get; init; } = "";
    /// <summary>The pause container's name (k8s_POD_&lt;pod&gt;_&lt;namespace&gt;_&lt;uid&gt;_&lt;attempt&gt;, as cri-dockerd names it).</summary>
    public string SandboxContainerName { get; init; } = "";
    public string SandboxImage { get; init; } = "";
    /// <summary>The Kubernetes namespace label (default for PodShell's pods).</summary>
    public string Namespace { get; init; } = "default";
    /// <summary>The daemon's address (DOCKER_HOST, or the default socket).</summary>
    public string Endpoint { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    /// <summary>The daemon's cgroup driver (cgroupfs or systemd) and the parent it was given.</summary>
    public string CgroupDriver { get; init; } = "";
    public string CgroupParent { get; init; } = "";
    /// <summary>Made by PodShell (true) or by another tool that uses Kubernetes' labels, such as cri-dockerd.</summary>
    public bool MadeByPodShell { get; init; }

    public override string ToString() => SandboxContainerName;
}
