using System.Collections.Generic;
using PodShell.Engine;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>A container of a manifest, as an engine request, and how it runs in the pod's start order.</summary>
public sealed class PlannedContainer
{
    public ContainerCreateRequest Request { get; init; } = new();
    /// <summary>An init container: runs to completion, in order, before the app containers start.</summary>
    public bool IsInit { get; init; }
    /// <summary>An init container with restartPolicy Always: a native sidecar, started in order and kept running.</summary>
    public bool IsSidecar { get; init; }
    public string Name => Request.Name;
}

/// <summary>What a Pod manifest asks for, as PodShell will make it (ConvertFrom-PodManifest; New-Pod runs it).</summary>
public sealed class PodManifestPlan
{
    public string Name => Pod.Name;
    public PodCreateRequest Pod { get; init; } = new();
    /// <summary>The class Kubernetes gives the manifest's pod, and the engine computes once its containers are in.</summary>
    public QosClass QosClass { get; init; }
    /// <summary>In start order: init containers (and sidecars), then the app containers.</summary>
    public IReadOnlyList<PlannedContainer> Containers { get; init; } = [];
    public IReadOnlyList<ManifestField> Report { get; init; } = [];
    public KubeDocument Manifest { get; init; } = new();
    public string Source { get; init; } = "";

    public override string ToString() => Name;
}
