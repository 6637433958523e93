using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using PodShell.Engine;
using PodShell.Images.Oci;
using PodShell.Images.Reference;
using PodShell.Images.Store;
using PodShell.Images.Unpack;

namespace PodShell.Images.Archive;

/// <summary>
/// Loads images from `docker save` tarballs (manifest.json) and OCI image layouts (oci-layout + index.json),
/// as folders or tar archives (plain or gzip). An archive is first unpacked into the store's tmp/ with the
/// same rules as a layer (nothing may land outside it), then read as a folder.
/// </summary>
internal sealed record LoadedImage(ImageRecord Record, string? Name);

internal sealed class ArchiveLoader(ImageStore store, IImageProgress? progress)
{
    private sealed class DockerSaveEntry
    {
        [JsonPropertyName("Config")] public string Config { get; set; } = "";
        [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }
        [JsonPropertyName("Layers")] public List<string> Layers { get; set; } = new();
    }

    public List<LoadedImage> Load(string path, string? tag, CancellationToken cancel)
    {
        store.EnsureLayout();
        store.ClearStaleTemp();
        string? extracted = null;
        try
        {
            var folder = path;
            if (File.Exists(path))
            {
                extracted = store.NewTempDirectory("archive");
                Extract(path, extracted, cancel);
                folder = extracted;
            }
            else if (!Directory.Exists(path))
            {
                throw new PodEngineException(ErrorIds.ArchiveNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound, path,
                    $"'{path}' does not exist.", "Give the path of a docker save tarball, or of an OCI layout (folder or archive).");
            }
            var view = new ArchiveFolder(folder);
            List<LoadedImage> images;
            if (view.Exists("manifest.json")) images = LoadDockerSave(view, path, cancel);
            else if (view.Exists("index.json")) images = LoadOciLayout(view, path, cancel);
            else
            {
                throw ImageErrors.Invalid(ErrorIds.UnknownArchiveFormat, $"'{path}' is neither a docker save archive (no manifest.json) nor an OCI layout (no index.json).",
                    "Make it with docker save / podman save, or skopeo copy ... oci-archive:FILE or oci:FOLDER.", path);
            }
            if (tag is not null)
            {
                if (images.Count != 1)
                {
                    throw ImageErrors.Invalid(ErrorIds.AmbiguousArchiveTag, $"'{path}' holds {images.Count} images, so -Tag cannot say which one it names.", "Leave -Tag out.", path);
                }
                var reference = ImageReference.TryParse(tag, out var r, out var problem) && r!.Digest is null ? r : throw ImageErrors.BadReference(tag, problem ?? "a tag cannot hold a digest");
                images[0] = new LoadedImage(ImageCatalog.Commit(store, images[0].Record, new[] { reference.TaggedName! }, Array.Empty<string>(), cancel), reference.TaggedName);
            }
            return images;
        }
        finally
        {
            if (extracted is not null) ImageStore.DeleteTree(extracted);
        }
    }

    private void Extract(string archive, string destination, CancellationToken cancel)
    {
        using var file = File.OpenRead(archive);
        using var tar = Decompression.Open(file, LayerCompression.Unknown);
        try
        {
            new LayerUnpacker(destination, cancel).Unpack(tar);
        }
        catch (UnsafeLayerEntryException e)
        {
            throw ImageErrors.Security(ErrorIds.UnsafeArchiveEntry, $"The archive '{archive}' was refused: {e.Message} Nothing of it was kept.", e.Entry);
        }
        catch (InvalidDataException e)
        {
            throw ImageErrors.Invalid(ErrorIds.InvalidArchive, $"'{archive}' is not a readable tar archive: {e.Message}", "Give a docker save tarball or an OCI archive.", archive, e);
        }
    }

    private List<LoadedImage> LoadDockerSave(ArchiveFolder view, string path, CancellationToken cancel)
    {
        var entries = Deserialize<List<DockerSaveEntry>>(view.ReadAll("manifest.json"), "manifest.json", path);
        var images = new List<LoadedImage>();
        foreach (var entry in entries)
        {
            var configBytes = view.ReadAll(entry.Config);
            var configDigest = Digest.Sha256Of(configBytes);
            var config = Deserialize<ImageConfigFile>(configBytes, entry.Config, path);
            if (config.RootFs.DiffIds.Count != entry.Layers.Count)
            {
                throw ImageErrors.Invalid(ErrorIds.InvalidImageConfig, $"In '{path}', {entry.Config} lists {config.RootFs.DiffIds.Count} diff ids for {entry.Layers.Count} layers.", null, path);
            }
            var name = entry.RepoTags?.FirstOrDefault() ?? entry.Config;
            var layers = new List<LayerReference>();
            for (var i = 0; i < entry.Layers.Count; i++)
            {
                var diffId = ParseDigest(config.RootFs.DiffIds[i], path);
                var layerPath = entry.Layers[i];
                var record = ImportLayer(name, i, entry.Layers.Count, () => view.Open(layerPath), null, null, diffId, cancel);
                layers.Add(new LayerReference { Digest = record.BlobDigest, DiffId = diffId.ToString(), MediaType = MediaTypes.OciLayer, Size = view.Length(layerPath) });
            }
            var names = (entry.RepoTags ?? new List<string>()).Select(t => NormalizeName(t, path)).OfType<string>().ToList();
            images.Add(new LoadedImage(Commit(configDigest, configBytes, config, layers, SynthesizedManifest(configDigest, configBytes.Length, layers), names, cancel), names.FirstOrDefault()));
        }
        return images;
    }

    private List<LoadedImage> LoadOciLayout(ArchiveFolder view, string path, CancellationToken cancel)
    {
        var index = Deserialize<ImageIndex>(view.ReadAll("index.json"), "index.json", path);
        var images = new List<LoadedImage>();
        var platform = PlatformSelector.Node();
        foreach (var descriptor in index.Manifests)
        {
            var manifestDescriptor = descriptor;
            var annotations = descriptor.Annotations ?? new Dictionary<string, string>();
            if (MediaTypes.IsIndex(descriptor.MediaType))
            {
                var nested = Deserialize<ImageIndex>(ReadBlob(view, descriptor, path), descriptor.Digest, path);
                manifestDescriptor = PlatformSelector.Select(nested.Manifests, platform) ?? throw ImageErrors.Invalid(ErrorIds.NoMatchingPlatform,
                    $"The image {descriptor.Digest} in '{path}' has no variant for {platform}.", null, path);
            }
            else if (descriptor.Platform is { } p && (p.Os != platform.Os || p.Architecture != platform.Architecture))
            {
                continue;
            }
            var manifestBytes = ReadBlob(view, manifestDescriptor, path);
            var manifest = Deserialize<ImageManifest>(manifestBytes, manifestDescriptor.Digest, path);
            var configDigest = ParseDigest(manifest.Config.Digest, path);
            var configBytes = ReadBlob(view, manifest.Config, path);
            var config = Deserialize<ImageConfigFile>(configBytes, manifest.Config.Digest, path);
            if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
            {
                throw ImageErrors.Invalid(ErrorIds.InvalidImageConfig, $"In '{path}', the image {manifestDescriptor.Digest} lists {manifest.Layers.Count} layers but {config.RootFs.DiffIds.Count} diff ids.", null, path);
            }
            var name = NameFromAnnotations(annotations, path);
            var layers = new List<LayerReference>();
            for (var i = 0; i < manifest.Layers.Count; i++)
            {
                var layer = manifest.Layers[i];
                var digest = ParseDigest(layer.Digest, path);
                var diffId = ParseDigest(config.RootFs.DiffIds[i], path);
                ImportLayer(name ?? manifestDescriptor.Digest, i, manifest.Layers.Count, () => view.Open(BlobPath(digest)), digest, layer.Size, diffId, cancel);
                layers.Add(new LayerReference { Digest = digest.ToString(), DiffId = diffId.ToString(), MediaType = layer.MediaType, Size = layer.Size });
            }
            var record = Commit(configDigest, configBytes, config, layers, (ParseDigest(manifestDescriptor.Digest, path), manifestBytes, manifestDescriptor.MediaType is { Length: > 0 } t ? t : MediaTypes.OciManifest),
                name is null ? Array.Empty<string>() : new[] { name }, cancel);
            images.Add(new LoadedImage(record, name));
        }
        if (images.Count == 0) throw ImageErrors.Invalid(ErrorIds.NoMatchingPlatform, $"'{path}' holds no image for {platform}.", null, path);
        return images;
    }

    private LayerRecord ImportLayer(string image, int index, int count, Func<Stream> open, Digest? digest, long? size, Digest diffId, CancellationToken cancel)
    {
        var label = (digest ?? diffId).Hex[..12];
        progress?.Report(new ImageProgress(image, label, ImageProgressStage.Unpacking, 0, size ?? 0, index, count));
        var done = 0L;
        var record = new LayerImporter(store).Import(open, digest, size, diffId, LayerCompression.Unknown, bytes =>
        {
            var before = done;
            done += bytes;
            if (done / (1 << 20) != before / (1 << 20)) progress?.Report(new ImageProgress(image, label, ImageProgressStage.Unpacking, done, size ?? 0, index, count));
        }, cancel, out var present);
        progress?.Report(new ImageProgress(image, label, present ? ImageProgressStage.AlreadyPresent : ImageProgressStage.Done, done, size ?? done, index, count));
        return record;
    }

    private ImageRecord Commit(Digest configDigest, byte[] configBytes, ImageConfigFile config, List<LayerReference> layers,
        (Digest Digest, byte[] Bytes, string MediaType) manifest, IEnumerable<string> names, CancellationToken cancel)
    {
        store.PutBlob(configDigest, configBytes);
        store.PutBlob(manifest.Digest, manifest.Bytes);
        var record = new ImageRecord
        {
            Id = configDigest.ToString(),
            ManifestDigest = manifest.Digest.ToString(),
            ManifestMediaType = manifest.MediaType,
            Layers = layers,
            Created = config.Created,
            StoredAt = DateTimeOffset.UtcNow,
            Architecture = config.Architecture,
            Os = config.Os,
            Config = config.Config ?? new ContainerConfig(),
        };
        return ImageCatalog.Commit(store, record, names, Array.Empty<string>(), cancel);
    }

    /// <summary>docker save has no manifest; an OCI manifest of its layers (as stored) stands in for it.</summary>
    private static (Digest, byte[], string) SynthesizedManifest(Digest config, long configSize, List<LayerReference> layers)
    {
        var manifest = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = config.ToString(), Size = configSize },
            Layers = layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Size }).ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
        return (Digest.Sha256Of(bytes), bytes, MediaTypes.OciManifest);
    }

    /// <summary>containerd's full-name annotation, else the OCI ref.name when it is a whole reference (skopeo writes name:tag).</summary>
    private static string? NameFromAnnotations(Dictionary<string, string> annotations, string path)
    {
        foreach (var key in new[] { "io.containerd.image.name", "org.opencontainers.image.ref.name" })
        {
            if (annotations.TryGetValue(key, out var value) && (value.Contains(':') || value.Contains('/')) && NormalizeName(value, path) is { } name) return name;
        }
        return null;
    }

    private static string? NormalizeName(string text, string path) =>
        ImageReference.TryParse(text, out var reference, out _) && reference!.TaggedName is { } name ? name : null;

    private static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    private static byte[] ReadBlob(ArchiveFolder view, Descriptor descriptor, string path)
    {
        var digest = ParseDigest(descriptor.Digest, path);
        if (descriptor.Size > Registry.RegistryClient.MaxManifestBytes) throw ImageErrors.Invalid(ErrorIds.ManifestTooLarge, $"The blob {digest} in '{path}' is too large for a manifest or config.", null, path);
        var bytes = view.ReadAll(BlobPath(digest));
        if (bytes.Length != descriptor.Size || !digest.Matches(bytes))
        {
            throw ImageErrors.Invalid(ErrorIds.BlobDigestMismatch, $"The blob {digest} in '{path}' does not match its digest or size; nothing was kept.", "The archive is damaged: make it again.", digest.ToString());
        }
        return bytes;
    }

    private static Digest ParseDigest(string text, string path) =>
        Digest.TryParse(text, out var digest) ? digest : throw ImageErrors.Invalid(ErrorIds.InvalidDigest, $"'{path}' has a malformed digest '{text}'.", null, path);

    private static T Deserialize<T>(byte[] bytes, string what, string path) => ImagePuller.Deserialize<T>(bytes, what, path);
}
