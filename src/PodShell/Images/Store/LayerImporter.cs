using System;
using System.IO;
using System.Threading;
using PodShell.Images.Oci;
using PodShell.Images.Reference;
using PodShell.Images.Unpack;
using PodShell.Engine;

namespace PodShell.Images.Store;

/// <summary>
/// Puts one layer into the store: streams its blob once, hashing it (digest and size checked), copying it to
/// blobs/ and unpacking it into a temp folder while the uncompressed tar is hashed against its diff id; only
/// when all three match are the blob and the folder renamed into place. Any failure or Ctrl+C deletes the temp.
/// </summary>
internal sealed class LayerImporter(ImageStore store)
{
    private static Digest? DigestOfRest(DigestingStream compressed)
    {
        try
        {
            compressed.Drain();
            return compressed.Finish();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <param name="open">Opens the blob's bytes (called only when the layer is missing).</param>
    /// <param name="blobDigest">The blob's digest from the manifest; null when unknown (docker save), then computed.</param>
    /// <param name="blobSize">The blob's size from the manifest; null when unknown.</param>
    public LayerRecord Import(Func<Stream> open, Digest? blobDigest, long? blobSize, Digest diffId, LayerCompression compression,
        Action<long>? onBytes, CancellationToken cancel, out bool alreadyPresent)
    {
        using var layerLock = store.Lock(ImageStore.LayerLockName(diffId), cancel);
        if (store.HasLayer(diffId) && store.ReadLayer(diffId) is { } present)
        {
            alreadyPresent = true;
            return present;
        }
        alreadyPresent = false;
        var temp = store.NewTempDirectory("layer");
        try
        {
            var content = Path.Combine(temp, "diff");
            Directory.CreateDirectory(content);
            var blobTemp = Path.Combine(store.TempDirectory, Path.GetFileName(temp) + ".blob");
            Digest actualBlob;
            long contentBytes;
            try
            {
                using (var source = open())
                using (cancel.Register(source.Dispose))
                using (var blobFile = new FileStream(blobTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    var compressed = new DigestingStream(source, blobDigest ?? new Digest("sha256", ""), blobSize ?? long.MaxValue, blobFile, onBytes);
                    using var tar = Decompression.Open(compressed, compression);
                    var uncompressed = new DigestingStream(tar, diffId);
                    var unpacker = new LayerUnpacker(content, cancel);
                    try
                    {
                        unpacker.Unpack(uncompressed);
                        uncompressed.Drain();
                        compressed.Drain();
                    }
                    catch (Exception) when (cancel.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancel);
                    }
                    catch (Exception e) when (e is IOException or InvalidDataException or FormatException && e is not UnsafeLayerEntryException && e is not SizeExceededException)
                    {
                        // A tar or compression error: most often the blob is not what its digest promises, so say that when it is so.
                        if (blobDigest is { } expectedDigest && DigestOfRest(compressed) is { } actual && actual != expectedDigest)
                        {
                            throw ImageErrors.Invalid(ErrorIds.BlobDigestMismatch,
                                $"The layer blob {expectedDigest} does not match its digest (got {actual}); nothing of it was kept.",
                                "The source altered the content (a broken registry, proxy or archive): pull from another source.", expectedDigest.ToString(), e);
                        }
                        throw new InvalidDataException(e.Message, e);
                    }
                    actualBlob = compressed.Finish();
                    var actualDiff = uncompressed.Finish();
                    if (blobDigest is { } expected && (actualBlob != expected || blobSize is { } size && compressed.BytesRead != size))
                    {
                        throw ImageErrors.Invalid(ErrorIds.BlobDigestMismatch,
                            $"The layer blob {expected} does not match its digest or size (got {actualBlob}, {compressed.BytesRead} bytes); nothing of it was kept.",
                            "The source altered the content (a broken registry, proxy or archive): pull from another source.", expected.ToString());
                    }
                    if (actualDiff != diffId)
                    {
                        throw ImageErrors.Invalid(ErrorIds.LayerDiffIdMismatch,
                            $"The layer {blobDigest?.ToString() ?? "from the archive"} unpacks to {actualDiff}, but the image config says {diffId}; nothing of it was kept.",
                            "The image is inconsistent or was altered: rebuild or re-push it.", diffId.ToString());
                    }
                    contentBytes = unpacker.ContentBytes;
                }
            }
            catch (SizeExceededException e)
            {
                throw ImageErrors.Invalid(ErrorIds.BlobDigestMismatch, $"The layer blob {blobDigest} is larger than its manifest says ({blobSize} bytes); nothing of it was kept.",
                    "The source altered the content: pull from another source.", blobDigest?.ToString(), e);
            }
            catch (UnsafeLayerEntryException e)
            {
                throw ImageErrors.Security(ErrorIds.UnsafeLayerEntry, $"The layer {blobDigest?.ToString() ?? diffId.ToString()} was refused: {e.Message} Nothing of it was kept.", e.Entry);
            }
            catch (InvalidDataException e)
            {
                throw ImageErrors.Invalid(ErrorIds.InvalidLayer, $"The layer {blobDigest?.ToString() ?? diffId.ToString()} is not a readable tar: {e.Message} Nothing of it was kept.",
                    "The image is damaged: pull it again or from another source.", diffId.ToString(), e);
            }
            catch (ObjectDisposedException) when (cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancel);
            }
            var record = new LayerRecord { DiffId = diffId.ToString(), BlobDigest = actualBlob.ToString(), Size = contentBytes, UnpackedAt = DateTimeOffset.UtcNow };
            store.Write(Path.Combine(temp, "layer.json"), record);
            using (store.Lock(ImageStore.BlobLockName(actualBlob), cancel)) store.AdoptBlob(actualBlob, blobTemp);
            store.AdoptLayer(diffId, temp);
            return record;
        }
        finally
        {
            ImageStore.DeleteTree(temp);
            ImageStore.DeleteTree(Path.Combine(store.TempDirectory, Path.GetFileName(temp) + ".blob"));
        }
    }
}
