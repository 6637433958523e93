using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Engine;
using PodShell.Images.Oci;
using PodShell.Images.Reference;
using PodShell.Images.Registry;
using PodShell.Images.Store;

namespace PodShell.Images;

/// <summary>
/// Pulls one image: resolves the reference through the registries configuration (mirrors first), fetches
/// the manifest (choosing the node's platform from an index), the config and the missing layers (three at
/// a time), each verified, and records the image under its name.
/// </summary>
internal sealed class ImagePuller(ImageStore store, RegistriesConfig config, IImageProgress? progress)
{
    private const int ParallelLayers = 3;

    public ImageRecord Pull(ImageReference reference, NetworkCredential? credential, CancellationToken cancel)
    {
        store.EnsureLayout();
        store.ClearStaleTemp();
        Report(reference, "", ImageProgressStage.Resolving, 0, 0, 0, 0);
        var (client, top) = ResolveManifest(reference, credential, cancel);
        var manifestBytes = top;
        if (MediaTypes.IsIndex(top.MediaType))
        {
            var index = Deserialize<ImageIndex>(top.Bytes, "image index", reference);
            var platform = PlatformSelector.Node();
            var chosen = PlatformSelector.Select(index.Manifests, platform) ?? throw ImageErrors.Invalid(ErrorIds.NoMatchingPlatform,
                $"The image {reference} has no variant for {platform} (it has: {string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? "?"))}).",
                "Pull an image built for this node's platform.", reference.ToString());
            manifestBytes = Run(() => client.GetManifestAsync(chosen.Digest, cancel));
            if (MediaTypes.IsIndex(manifestBytes.MediaType))
            {
                throw ImageErrors.Invalid(ErrorIds.UnsupportedManifest, $"The image {reference} nests an index inside its index, which PodShell does not follow.", null, reference.ToString());
            }
        }
        if (MediaTypes.IsSchema1(manifestBytes.MediaType))
        {
            throw ImageErrors.Invalid(ErrorIds.UnsupportedManifest, $"The image {reference} has a Docker schema 1 manifest, which registries deprecated in 2019 and PodShell does not read.",
                "Push the image again with a current tool (docker, podman, skopeo) so it gets a schema 2 or OCI manifest.", reference.ToString());
        }
        if (!MediaTypes.IsManifest(manifestBytes.MediaType))
        {
            throw ImageErrors.Invalid(ErrorIds.UnsupportedManifest, $"The registry answered {reference} with a {manifestBytes.MediaType}, not an image manifest.", null, reference.ToString());
        }
        var manifest = Deserialize<ImageManifest>(manifestBytes.Bytes, "manifest", reference);
        var configDigest = ParseDigest(manifest.Config.Digest, reference);
        var configBytes = store.ReadBlob(configDigest) is { } cached && configDigest.Matches(cached)
            ? cached
            : Run(() => client.GetSmallBlobAsync(configDigest, manifest.Config.Size, cancel));
        var imageConfig = Deserialize<ImageConfigFile>(configBytes, "image config", reference);
        var diffIds = imageConfig.RootFs.DiffIds.Select(d => ParseDigest(d, reference)).ToList();
        if (diffIds.Count != manifest.Layers.Count)
        {
            throw ImageErrors.Invalid(ErrorIds.InvalidImageConfig, $"The image {reference} lists {manifest.Layers.Count} layers but its config {diffIds.Count} diff ids.", null, reference.ToString());
        }

        var layers = manifest.Layers.Select((descriptor, i) => (Descriptor: descriptor, Digest: ParseDigest(descriptor.Digest, reference), DiffId: diffIds[i], Index: i)).ToList();
        foreach (var layer in layers)
        {
            if (layer.Descriptor.Urls is { Count: > 0 } || MediaTypes.CompressionOf(layer.Descriptor.MediaType) == LayerCompression.Unknown && !layer.Descriptor.MediaType.Contains("tar", StringComparison.Ordinal))
            {
                throw ImageErrors.Invalid(ErrorIds.UnsupportedLayer, $"The image {reference} has a layer of type '{layer.Descriptor.MediaType}', which PodShell does not unpack.", null, layer.Descriptor.Digest);
            }
        }
        try
        {
            PullLayers(reference, client, layers, cancel);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is PodEngineException) ?? e.InnerExceptions.FirstOrDefault(x => x is OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        store.PutBlob(configDigest, configBytes);
        store.PutBlob(manifestBytes.Digest, manifestBytes.Bytes);
        if (top.Digest != manifestBytes.Digest) store.PutBlob(top.Digest, top.Bytes);
        var record = new ImageRecord
        {
            Id = configDigest.ToString(),
            ManifestDigest = manifestBytes.Digest.ToString(),
            ManifestMediaType = manifestBytes.MediaType,
            Layers = layers.Select(l => new LayerReference { Digest = l.Digest.ToString(), MediaType = l.Descriptor.MediaType, Size = l.Descriptor.Size, DiffId = l.DiffId.ToString() }).ToList(),
            Created = imageConfig.Created,
            StoredAt = DateTimeOffset.UtcNow,
            Architecture = imageConfig.Architecture,
            Os = imageConfig.Os,
            Config = imageConfig.Config ?? new ContainerConfig(),
        };
        var names = reference.TaggedName is { } tagged ? new[] { tagged } : Array.Empty<string>();
        var repoDigest = $"{reference.Name}@{top.Digest}";
        return ImageCatalog.Commit(store, record, names, new[] { repoDigest }, cancel);
    }

    private void PullLayers(ImageReference reference, RegistryClient client, List<(Descriptor Descriptor, Digest Digest, Digest DiffId, int Index)> layers, CancellationToken cancel)
    {
        var importer = new LayerImporter(store);
        var total = layers.Count;
        Parallel.ForEach(layers, new ParallelOptions { MaxDegreeOfParallelism = ParallelLayers, CancellationToken = cancel }, layer =>
        {
            var done = 0L;
            var size = layer.Descriptor.Size;
            var label = layer.Digest.Hex[..12];
            if (store.HasLayer(layer.DiffId))
            {
                Report(reference, label, ImageProgressStage.AlreadyPresent, size, size, layer.Index, total);
                return;
            }
            Report(reference, label, ImageProgressStage.Downloading, 0, size, layer.Index, total);
            var lastReport = 0L;
            importer.Import(
                () => Run(() => OpenBlob(client, layer.Digest, cancel)),
                layer.Digest, size, layer.DiffId, MediaTypes.CompressionOf(layer.Descriptor.MediaType),
                bytes =>
                {
                    done += bytes;
                    if (done - lastReport >= 256 * 1024 || done == size)
                    {
                        lastReport = done;
                        Report(reference, label, ImageProgressStage.Downloading, done, size, layer.Index, total);
                    }
                },
                cancel, out var present);
            Report(reference, label, present ? ImageProgressStage.AlreadyPresent : ImageProgressStage.Done, size, size, layer.Index, total);
        });
    }

    /// <summary>The first source that has the manifest: mirrors in order, then the registry itself.</summary>
    private (RegistryClient Client, FetchedManifest Manifest) ResolveManifest(ImageReference reference, NetworkCredential? credential, CancellationToken cancel)
    {
        var sources = config.SourcesFor(reference);
        var failures = new List<string>();
        Exception? lastError = null;
        foreach (var source in sources)
        {
            // A -Credential is meant for the registry named, not for mirrors (they use their own auth file entries).
            var client = new RegistryClient(source, source.IsMirror ? null : credential);
            try
            {
                return (client, Run(() => client.GetManifestAsync(source.Reference.Selector, cancel)));
            }
            catch (ManifestNotFoundException e) when (source.IsMirror)
            {
                failures.Add($"{source.Reference.Registry}: {e.Message}");
            }
            catch (PodEngineException e) when (source.IsMirror)
            {
                failures.Add($"{source.Reference.Registry}: {e.Message}");
                lastError = e;
            }
            catch (ManifestNotFoundException)
            {
                var tried = failures.Count > 0 ? $" (mirrors tried: {string.Join("; ", failures)})" : "";
                throw new PodEngineException(ErrorIds.ImageNotFoundInRegistry, System.Management.Automation.ErrorCategory.ObjectNotFound, reference.ToString(),
                    $"The registry {source.Reference.Registry} has no image {source.Reference.Name}:{source.Reference.Selector}{tried}.",
                    "Check the name and tag (or digest), and that the image was pushed there.");
            }
        }
        throw lastError ?? new InvalidOperationException("No registry to pull from.");
    }

    private static async Task<System.IO.Stream> OpenBlob(RegistryClient client, Digest digest, CancellationToken cancel)
    {
        var response = await client.GetBlobAsync(digest, cancel).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        return new OwningStream(stream, response);
    }

    private void Report(ImageReference reference, string layer, ImageProgressStage stage, long done, long total, int index, int count) =>
        progress?.Report(new ImageProgress(reference.ToString(), layer, stage, done, total, index, count));

    private static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    private static Digest ParseDigest(string text, ImageReference reference) =>
        Digest.TryParse(text, out var digest) ? digest : throw ImageErrors.Invalid(ErrorIds.InvalidDigest, $"The image {reference} has a malformed digest '{text}'.", null, reference.ToString());

    internal static T Deserialize<T>(byte[] bytes, string what, object reference)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw ImageErrors.Invalid(ErrorIds.InvalidManifest, $"The {what} of {reference} is not valid JSON of its kind: {e.Message}", null, reference.ToString(), e);
        }
    }

    /// <summary>The response stream, which disposes its HTTP response with it.</summary>
    private sealed class OwningStream(System.IO.Stream inner, IDisposable owner) : IO.ForwardOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
