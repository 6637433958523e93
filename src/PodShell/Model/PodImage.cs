using System;
using System.Collections.Generic;

namespace PodShell.Model;

/// <summary>An image in an engine's store, under one of its names (docker images lists one row per tag).</summary>
public sealed class PodImage
{
    /// <summary>The repository as users write it: busybox, localhost:5000/team/app; "&lt;none&gt;" when untagged.</summary>
    public string Repository { get; set; } = "";
    public string Tag { get; set; } = "";
    /// <summary>The full name: docker.io/library/busybox:1.36 (empty when untagged).</summary>
    public string Name { get; set; } = "";
    /// <summary>The registry digest pulled (manifest or index), sha256:...; null for archive loads.</summary>
    public string? Digest { get; set; }
    /// <summary>The image ID: the digest of its config, sha256:...</summary>
    public string Id { get; set; } = "";
    /// <summary>Bytes on disk of the unpacked layers.</summary>
    public long Size { get; set; }
    /// <summary>Bytes of the layer blobs as pulled (compressed).</summary>
    public long DownloadSize { get; set; }
    public DateTimeOffset? Created { get; set; }
    public DateTimeOffset StoredAt { get; set; }
    /// <summary>The containers using the image, as pod/container.</summary>
    public string[] UsedBy { get; set; } = Array.Empty<string>();
    public string[] Names { get; set; } = Array.Empty<string>();
    public string[] RepoDigests { get; set; } = Array.Empty<string>();
    public string ManifestDigest { get; set; } = "";
    public string[] Layers { get; set; } = Array.Empty<string>();
    public string Platform { get; set; } = "";
    public string[] Entrypoint { get; set; } = Array.Empty<string>();
    public string[] Cmd { get; set; } = Array.Empty<string>();
    public string[] Env { get; set; } = Array.Empty<string>();
    public string? WorkingDir { get; set; }
    public string? User { get; set; }
    public string? StopSignal { get; set; }
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    public override string ToString() => Name.Length > 0 ? Name : Id;
}

/// <summary>When a container's image is pulled, as Kubernetes' imagePullPolicy.</summary>
public enum PullPolicy { Always, IfNotPresent, Never }
