using System;
using System.Collections.Generic;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Native.Status;

/// <summary>What was seen of one pod at one moment: its record, whether its sandbox runs and is frozen, its containers.</summary>
internal sealed record PodObservation
{
    public required PodRecord Record { get; init; }
    public required string StateDirectory { get; init; }

    /// <summary>The recorded pause process still runs.</summary>
    public bool PauseAlive { get; init; }

    /// <summary>Some session holds the pod's lock; only asked of a pod whose create has not finished (else it was interrupted).</summary>
    public bool CreateInProgress { get; init; }

    /// <summary>The pod's cgroup is frozen; only asked of a complete pod whose pause runs.</summary>
    public bool Paused { get; init; }

    public IReadOnlyList<PodContainer> Containers { get; init; } = Array.Empty<PodContainer>();

    /// <summary>The node's primary addresses, for a running pod on the node's network.</summary>
    public IReadOnlyList<string> NodeAddresses { get; init; } = Array.Empty<string>();
}
