namespace PodShell.Model;

/// <summary>Where a pod volume's files live: a folder made for the pod, or a path of the node.</summary>
public enum PodVolumeKind { EmptyDir, HostPath }

/// <summary>A pod volume (Kubernetes' emptyDir and hostPath: what a single node can give).</summary>
public sealed class PodVolume
{
    public string Name { get; set; } = "";
    public PodVolumeKind Kind { get; set; }
    /// <summary>EmptyDir: "" for the node's disk, "Memory" for a tmpfs.</summary>
    public string Medium { get; set; } = "";
    /// <summary>EmptyDir: the size limit in bytes (the tmpfs size for Memory); null for none.</summary>
    public long? SizeLimit { get; set; }
    /// <summary>HostPath: the node's path.</summary>
    public string? Path { get; set; }
    /// <summary>HostPath: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.</summary>
    public string HostPathType { get; set; } = "";

    public override string ToString() => Kind == PodVolumeKind.HostPath ? $"{Name}={Path}" : $"{Name}=emptyDir{(Medium.Length > 0 ? ":" + Medium : "")}";
}

/// <summary>A pod volume mounted into a container (Kubernetes' volumeMounts).</summary>
public sealed class ContainerMount
{
    public string Volume { get; set; } = "";
    public string MountPath { get; set; } = "";
    public bool ReadOnly { get; set; }
    /// <summary>A path inside the volume to mount instead of its root; empty for the root.</summary>
    public string SubPath { get; set; } = "";

    public override string ToString() => $"{Volume}:{MountPath}{(ReadOnly ? ":ro" : "")}";
}

/// <summary>How a container runs in its pod's start order (Kubernetes' containers, initContainers, sidecars).</summary>
public enum ContainerRole { App, Init, Sidecar }
