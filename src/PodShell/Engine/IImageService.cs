using System.Collections.Generic;
using System.Net;
using System.Threading;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// An engine's image store: pull, load archives, list, remove. Engines that keep images of their own implement
/// it next to IPodEngine; cmdlets reach it through <see cref="ImageServices"/>.
/// </summary>
public interface IImageService
{
    /// <summary>Pulls an image from its registry (or a mirror) into the store, verified, and tags it.</summary>
    PodImage PullImage(ImagePullRequest request, IImageProgress? progress, CancellationToken cancel);

    /// <summary>Loads the images of a docker save tarball or an OCI layout (folder or archive).</summary>
    IReadOnlyList<PodImage> ImportArchive(ImageArchiveRequest request, IImageProgress? progress, CancellationToken cancel);

    /// <summary>One entry per name (repository:tag) of every stored image; untagged images once each.</summary>
    IEnumerable<PodImage> GetImages();

    /// <summary>The stored image a reference (name:tag, name@digest, image id or id prefix) names, or null.</summary>
    PodImage? FindImage(string reference);

    /// <summary>
    /// Removes a name from its image, and the image with its last name (an id removes it whatever its names);
    /// an image containers use needs force. Layers and blobs nothing else uses are deleted.
    /// </summary>
    ImageRemoval RemoveImage(string reference, bool force, CancellationToken cancel);

    /// <summary>The image for a container, pulled first as the policy says.</summary>
    PodImage EnsureImage(string reference, PullPolicy policy, NetworkCredential? credential, IImageProgress? progress, CancellationToken cancel);
}

/// <summary>Receives pull progress; called from any thread (a cmdlet marshals it to the pipeline thread).</summary>
public interface IImageProgress
{
    void Report(ImageProgress progress);
}

public sealed record ImageProgress(string Image, string Layer, ImageProgressStage Stage, long BytesDone, long BytesTotal, int LayerIndex, int LayerCount);

public enum ImageProgressStage { Resolving, Downloading, Unpacking, AlreadyPresent, Done }

public sealed class ImagePullRequest
{
    public string Reference { get; init; } = "";
    public NetworkCredential? Credential { get; init; }
    /// <summary>A registries.conf-style file to use instead of the node's (for mirrors and insecure registries).</summary>
    public string? RegistryConfigPath { get; init; }
}

public sealed class ImageArchiveRequest
{
    public string Path { get; init; } = "";
    /// <summary>A name for the (single) image of an archive that names none.</summary>
    public string? Tag { get; init; }
}

public sealed record ImageRemoval(string Id, bool ImageDeleted, IReadOnlyList<string> Untagged, IReadOnlyList<string> DeletedLayers);
