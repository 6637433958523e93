using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using PodShell.Engine;
using PodShell.Images.Archive;
using PodShell.Images.Reference;
using PodShell.Images.Registry;
using PodShell.Images.Store;
using PodShell.Model;

namespace PodShell.Images;

/// <summary>PodShell's own image store (the native engine's): the IImageService behind Import/Get/Remove-PodImage.</summary>
public sealed class LocalImageService : IImageService
{
    private readonly ImageStore _store;

    public LocalImageService(ImageStore? store = null)
    {
        _store = store ?? new ImageStore();
    }

    public ImageStore Store => _store;

    public PodImage PullImage(ImagePullRequest request, IImageProgress? progress, CancellationToken cancel)
    {
        var reference = ParseReference(request.Reference);
        RegistriesConfig config;
        try
        {
            config = RegistriesConfig.Load(request.RegistryConfigPath);
        }
        catch (Exception e) when (e is FormatException or System.IO.IOException)
        {
            throw new PodEngineException(ErrorIds.InvalidRegistryConfig, ErrorCategory.InvalidData, request.RegistryConfigPath, $"The registries configuration cannot be read: {e.Message}",
                "Fix the file (TOML as in containers-registries.conf(5)) or the PODSHELL_REGISTRY_MIRRORS setting.", e);
        }
        var record = new ImagePuller(_store, config, progress).Pull(reference, request.Credential, cancel);
        return ToImages(record, Users()).First(i => reference.TaggedName is null || i.Name == reference.TaggedName);
    }

    public IReadOnlyList<PodImage> ImportArchive(ImageArchiveRequest request, IImageProgress? progress, CancellationToken cancel)
    {
        var loaded = new ArchiveLoader(_store, progress).Load(request.Path, request.Tag, cancel);
        var users = Users();
        return loaded.Select(l => ToImages(l.Record, users) is var all && all.FirstOrDefault(i => i.Name == l.Name) is { } named ? named : all[0]).ToList();
    }

    public IEnumerable<PodImage> GetImages()
    {
        if (!_store.Exists) return Array.Empty<PodImage>();
        var users = Users();
        return _store.ReadImages().SelectMany(r => ToImages(r, users)).OrderBy(i => i.Repository, StringComparer.Ordinal).ThenBy(i => i.Tag, StringComparer.Ordinal).ToList();
    }

    public PodImage? FindImage(string reference)
    {
        if (!_store.Exists) return null;
        var record = ImageCatalog.Find(_store, reference);
        if (record is null) return null;
        var images = ToImages(record, Users());
        var wanted = ImageReference.TryParse(reference, out var r, out _) ? r!.TaggedName : null;
        return images.FirstOrDefault(i => i.Name == wanted) ?? images[0];
    }

    internal ImageRecord? FindRecord(string reference) => _store.Exists ? ImageCatalog.Find(_store, reference) : null;

    public ImageRemoval RemoveImage(string reference, bool force, CancellationToken cancel)
    {
        if (!_store.Exists) throw ImageErrors.NotFound(reference);
        using (_store.Lock(ImageStore.RecordsLockName, cancel))
        {
            var record = ImageCatalog.Find(_store, reference) ?? throw ImageErrors.NotFound(reference);
            var tag = ImageCatalog.TagNamed(reference, record);
            if (tag is not null && record.Names.Count > 1)
            {
                record.Names.Remove(tag);
                _store.WriteImage(record);
                return new ImageRemoval(record.Id, false, new[] { tag }, Array.Empty<string>());
            }
            var users = _store.LiveLeases().Where(l => l.ImageId == record.Id).ToList();
            if (users.Count > 0 && !force)
            {
                throw new PodEngineException(ErrorIds.ImageInUse, ErrorCategory.ResourceBusy, reference,
                    $"The image {Describe(record)} is used by {string.Join(", ", users.Select(u => $"{u.Pod}/{u.Container}"))}.",
                    "Remove those containers first, or pass -Force (their layers stay until they are removed).");
            }
            _store.DeleteImage(record.Id);
            var deleted = _store.CollectGarbage();
            return new ImageRemoval(record.Id, true, record.Names, deleted);
        }
    }

    public PodImage EnsureImage(string reference, PullPolicy policy, NetworkCredential? credential, IImageProgress? progress, CancellationToken cancel)
    {
        var present = FindImage(reference);
        // An image id (or id prefix) is only ever local: never ask a registry for it, whatever the policy.
        if (present is not null && FindRecord(reference) is { } record && ImageCatalog.NamesById(reference, record)) return present;
        switch (policy)
        {
            case PullPolicy.Never:
                return present ?? throw new PodEngineException(ErrorIds.ImageNotPresent, ErrorCategory.ObjectNotFound, reference,
                    $"The image '{reference}' is not in the image store, and the pull policy is Never.", $"Pull it first (Import-PodImage -Reference {reference}), or use -PullPolicy IfNotPresent.");
            case PullPolicy.IfNotPresent when present is not null:
                return present;
            default:
                return PullImage(new ImagePullRequest { Reference = reference, Credential = credential }, progress, cancel);
        }
    }

    /// <summary>Kubernetes' default: Always for :latest or no tag, IfNotPresent otherwise (and for digests).</summary>
    public static PullPolicy DefaultPolicy(string reference)
    {
        if (!ImageReference.TryParse(reference, out var parsed, out _) || parsed is null) return PullPolicy.IfNotPresent;
        if (parsed.Digest is not null) return PullPolicy.IfNotPresent;
        var explicitTag = reference.LastIndexOf(':') > reference.LastIndexOf('/');
        return !explicitTag || parsed.Tag == "latest" ? PullPolicy.Always : PullPolicy.IfNotPresent;
    }

    // ---- leases: the native engine's containers ----

    /// <summary>Records that a container uses an image's layers; fails when the image went away meanwhile.</summary>
    public ImageRecord Acquire(string imageId, string containerId, string pod, string container, string stateDirectory, CancellationToken cancel)
    {
        using (_store.Lock(ImageStore.RecordsLockName, cancel))
        {
            var record = _store.ReadImage(imageId) ?? throw ImageErrors.NotFound(imageId);
            var missing = record.Layers.FirstOrDefault(l => !_store.HasLayer(Digest.Parse(l.DiffId)));
            if (missing is not null)
            {
                throw ImageErrors.Invalid(ErrorIds.ImageIncomplete, $"The layer {missing.DiffId} of image {Describe(record)} is missing from the store.", "Remove the image and pull it again.", imageId);
            }
            _store.WriteLease(new ImageLease
            {
                ContainerId = containerId,
                ImageId = record.Id,
                Layers = record.Layers.Select(l => l.DiffId).ToList(),
                Pod = pod,
                Container = container,
                StateDirectory = stateDirectory,
            });
            return record;
        }
    }

    /// <summary>Drops a container's lease; layers only it kept (its image was removed with -Force) are deleted.</summary>
    public void Release(string containerId)
    {
        if (!_store.Exists) return;
        using (_store.Lock(ImageStore.RecordsLockName, CancellationToken.None))
        {
            var lease = _store.ReadLeases().FirstOrDefault(l => l.ContainerId == containerId);
            if (lease is null) return;
            _store.DeleteLease(containerId);
            var kept = new HashSet<string>(_store.ReadImages().SelectMany(i => i.Layers.Select(l => l.DiffId)));
            if (lease.Layers.Any(l => !kept.Contains(l))) _store.CollectGarbage();
        }
    }

    /// <summary>The overlay lower folders of an image, top layer first.</summary>
    public IReadOnlyList<string> LowerDirectories(ImageRecord record) =>
        record.Layers.Select(l => _store.LayerContent(Digest.Parse(l.DiffId))).Reverse().ToList();

    private static ImageReference ParseReference(string text) =>
        ImageReference.TryParse(text, out var reference, out var problem) ? reference! : throw ImageErrors.BadReference(text, problem!);

    private Dictionary<string, List<string>> Users()
    {
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var lease in _store.LiveLeases())
        {
            if (!users.TryGetValue(lease.ImageId, out var list)) users[lease.ImageId] = list = new List<string>();
            list.Add($"{lease.Pod}/{lease.Container}");
        }
        return users;
    }

    private static string Describe(ImageRecord record) => record.Names.FirstOrDefault() is { } name ? $"{name} ({Short(record.Id)})" : Short(record.Id);

    private static string Short(string id) => id.Length > 19 ? id[7..19] : id;

    internal List<PodImage> ToImages(ImageRecord record, Dictionary<string, List<string>> users)
    {
        var size = record.Layers.Sum(l => _store.ReadLayer(Digest.Parse(l.DiffId))?.Size ?? 0);
        var usedBy = users.TryGetValue(record.Id, out var u) ? u.OrderBy(x => x, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        var names = record.Names.Count > 0 ? record.Names.Cast<string?>().ToList() : new List<string?> { null };
        return names.Select(name =>
        {
            var parsed = name is not null && ImageReference.TryParse(name, out var r, out _) ? r : null;
            var repoDigest = parsed is null ? record.RepoDigests.FirstOrDefault() : record.RepoDigests.FirstOrDefault(d => d.StartsWith(parsed.Name + "@", StringComparison.Ordinal));
            var config = record.Config;
            return new PodImage
            {
                Repository = parsed?.FamiliarName ?? "<none>",
                Tag = parsed?.Tag ?? "<none>",
                Name = name ?? "",
                Digest = repoDigest?[(repoDigest.IndexOf('@') + 1)..],
                Id = record.Id,
                Size = size,
                DownloadSize = record.Layers.Sum(l => l.Size),
                Created = record.Created,
                StoredAt = record.StoredAt,
                UsedBy = usedBy,
                Names = record.Names.ToArray(),
                RepoDigests = record.RepoDigests.ToArray(),
                ManifestDigest = record.ManifestDigest,
                Layers = record.Layers.Select(l => l.DiffId).ToArray(),
                Platform = $"{record.Os}/{record.Architecture}",
                Entrypoint = config.Entrypoint?.ToArray() ?? Array.Empty<string>(),
                Cmd = config.Cmd?.ToArray() ?? Array.Empty<string>(),
                Env = config.Env?.ToArray() ?? Array.Empty<string>(),
                WorkingDir = string.IsNullOrEmpty(config.WorkingDir) ? null : config.WorkingDir,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                StopSignal = string.IsNullOrEmpty(config.StopSignal) ? null : config.StopSignal,
                Labels = config.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(config.Labels),
            };
        }).ToList();
    }
}
