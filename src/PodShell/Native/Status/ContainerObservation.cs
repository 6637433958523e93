using PodShell.Protocol;
using PodShell.State;

namespace PodShell.Native.Status;

/// <summary>
/// What was seen of one container at one moment: its record (container.json), its shim's status (status.json),
/// and the kernel's answers about its processes. <see cref="ContainerStatusMapper"/> turns it into the object users see.
/// </summary>
internal sealed record ContainerObservation
{
    public required string PodName { get; init; }
    public required string Name { get; init; }
    public required string StateDirectory { get; init; }
    public required string LogPath { get; init; }

    /// <summary>container.json; null with <see cref="RecordProblem"/> when it cannot be read.</summary>
    public ContainerRecord? Record { get; init; }
    public string? RecordProblem { get; init; }

    /// <summary>status.json as last read (after the second read when the shim was gone); null before the shim wrote one.</summary>
    public ContainerStatus? Status { get; init; }

    /// <summary>Why status.json is there but unreadable; null when it was read or is not written yet.</summary>
    public string? StatusProblem { get; init; }

    /// <summary>The recorded shim still runs.</summary>
    public bool ShimAlive { get; init; }

    /// <summary>The container's main process (named in status.json) still runs; only asked when the shim is gone.</summary>
    public bool MainAlive { get; init; }

    /// <summary>The pod's cgroup is frozen (Suspend-Pod).</summary>
    public bool PodPaused { get; init; }
}
