using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using PodShell.Images.Reference;
using PodShell.Engine;

namespace PodShell.Images.Store;

/// <summary>Names and records: which image a reference means, and tag moves when a name gets a new image.</summary>
internal static class ImageCatalog
{
    private static readonly Regex IdPrefix = new("^(sha256:)?[a-f0-9]{4,64}$", RegexOptions.CultureInvariant);

    /// <summary>Writes the image's record with the given names; each name leaves the image that had it before.</summary>
    public static ImageRecord Commit(ImageStore store, ImageRecord record, IEnumerable<string> names, IEnumerable<string> repoDigests, CancellationToken cancel)
    {
        using (store.Lock(ImageStore.RecordsLockName, cancel))
        {
            foreach (var layer in record.Layers)
            {
                if (!store.HasLayer(Digest.Parse(layer.DiffId)))
                {
                    throw ImageErrors.Registry(ErrorIds.ImageStoreChanged, $"The layer {layer.DiffId} vanished from the image store while the image was being stored (another session removed images).",
                        "Run the command again.", layer.DiffId);
                }
            }
            var existing = store.ReadImage(record.Id);
            var nameList = names.ToList();
            if (existing is not null)
            {
                record.Names = existing.Names.Union(nameList).ToList();
                record.RepoDigests = existing.RepoDigests.Union(repoDigests).ToList();
            }
            else
            {
                record.Names = nameList;
                record.RepoDigests = repoDigests.ToList();
            }
            foreach (var other in store.ReadImages().Where(i => i.Id != record.Id).ToList())
            {
                if (other.Names.RemoveAll(nameList.Contains) > 0) store.WriteImage(other);
            }
            store.WriteImage(record);
            return record;
        }
    }

    /// <summary>The image a user's text names: name:tag, name@digest, an image id (sha256:...) or a unique id prefix.</summary>
    public static ImageRecord? Find(ImageStore store, string text, List<ImageRecord>? images = null)
    {
        images ??= store.ReadImages().ToList();
        if (Digest.TryParse(text, out var id))
        {
            return images.FirstOrDefault(i => i.Id == id.ToString()) ?? images.FirstOrDefault(i => i.ManifestDigest == id.ToString() || i.RepoDigests.Any(r => r.EndsWith("@" + id, StringComparison.Ordinal)));
        }
        if (ImageReference.TryParse(text, out var reference, out _) && reference is not null)
        {
            var byName = reference.Digest is { } digest
                ? images.FirstOrDefault(i => i.RepoDigests.Contains($"{reference.Name}@{digest}") || i.ManifestDigest == digest.ToString() && i.RepoDigests.Any(r => r.StartsWith(reference.Name + "@", StringComparison.Ordinal)))
                : images.FirstOrDefault(i => i.Names.Contains(reference.TaggedName!));
            if (byName is not null) return byName;
        }
        if (IdPrefix.IsMatch(text))
        {
            var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
            var matches = images.Where(i => i.Id.StartsWith("sha256:" + hex, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
            {
                throw ImageErrors.Invalid(ErrorIds.AmbiguousImageId, $"'{text}' is the start of {matches.Count} image ids.", "Give more of the id.", text);
            }
        }
        return null;
    }

    /// <summary>Whether the text names the image by its id (sha256:... or a hex prefix) rather than by a name: such an image is only ever local.</summary>
    public static bool NamesById(string text, ImageRecord image)
    {
        if (Digest.TryParse(text, out var digest)) return image.Id == digest.ToString();
        if (!IdPrefix.IsMatch(text)) return false;
        var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        var named = ImageReference.TryParse(text, out var reference, out _) && reference?.TaggedName is { } tagged && image.Names.Contains(tagged);
        return !named && image.Id.StartsWith("sha256:" + hex, StringComparison.Ordinal);
    }

    /// <summary>Whether the text names the image by a tag (so removing it only untags when the image has other names).</summary>
    public static string? TagNamed(string text, ImageRecord image)
    {
        if (Digest.TryParse(text, out _)) return null;
        if (!ImageReference.TryParse(text, out var reference, out _) || reference is null || reference.Digest is not null) return null;
        return image.Names.Contains(reference.TaggedName!) ? reference.TaggedName : null;
    }
}
