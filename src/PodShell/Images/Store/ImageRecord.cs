using System;
using System.Collections.Generic;
using PodShell.Images.Oci;

namespace PodShell.Images.Store;

/// <summary>images/&lt;id&gt;.json: one image (keyed by its config digest, as docker's image ID is) and the names it goes by.</summary>
public sealed class ImageRecord
{
    /// <summary>The config blob's digest: the image ID.</summary>
    public string Id { get; set; } = "";
    /// <summary>Full tagged names: docker.io/library/busybox:1.36.</summary>
    public List<string> Names { get; set; } = new();
    /// <summary>name@digest of what was pulled (the index or manifest the registry served).</summary>
    public List<string> RepoDigests { get; set; } = new();
    /// <summary>The platform manifest's digest (the same as the repo digest unless pulled through an index).</summary>
    public string ManifestDigest { get; set; } = "";
    public string ManifestMediaType { get; set; } = "";
    public List<LayerReference> Layers { get; set; } = new();
    public DateTimeOffset? Created { get; set; }
    public DateTimeOffset StoredAt { get; set; }
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "";
    public ContainerConfig Config { get; set; } = new();
}

public sealed class LayerReference
{
    /// <summary>The blob's digest, as the manifest gives it (compressed).</summary>
    public string Digest { get; set; } = "";
    public string MediaType { get; set; } = "";
    /// <summary>The blob's size in bytes.</summary>
    public long Size { get; set; }
    /// <summary>The uncompressed tar's digest (the config's rootfs.diff_ids): names the unpacked folder.</summary>
    public string DiffId { get; set; } = "";
}

/// <summary>layers/&lt;diff id&gt;/layer.json, written before the folder is renamed into place.</summary>
public sealed class LayerRecord
{
    public string DiffId { get; set; } = "";
    public string BlobDigest { get; set; } = "";
    /// <summary>Bytes of file content in the unpacked layer.</summary>
    public long Size { get; set; }
    public DateTimeOffset UnpackedAt { get; set; }
}

/// <summary>leases/&lt;container id&gt;.json: a container uses an image's layers, so they are not deleted under it.</summary>
public sealed class ImageLease
{
    public string ContainerId { get; set; } = "";
    public string ImageId { get; set; } = "";
    public List<string> Layers { get; set; } = new();
    public string Pod { get; set; } = "";
    public string Container { get; set; } = "";
    /// <summary>The container's state folder: a lease whose folder is gone (reboot, crashed removal) is stale.</summary>
    public string StateDirectory { get; set; } = "";
}
