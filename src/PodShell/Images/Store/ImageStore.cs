using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using PodShell.Images.Reference;

namespace PodShell.Images.Store;

/// <summary>
/// The content store under PODSHELL_IMAGE_ROOT (default /var/lib/podshell/images):
/// blobs/&lt;alg&gt;/&lt;hex&gt; (manifests, configs, layer blobs, verified), layers/&lt;diff id&gt;/diff (each layer
/// unpacked once, shared read-only as an overlay lower), images/&lt;id&gt;.json, leases/ (containers using
/// layers), locks/ (one per blob or layer, and one for the image records) and tmp/ (work in progress: made
/// there, then renamed into place, so nothing half-written is ever visible).
/// </summary>
public sealed class ImageStore
{
    public const string RootVariable = "PODSHELL_IMAGE_ROOT";
    public const string DefaultRoot = "/var/lib/podshell/images";
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(25);

    public ImageStore(string? root = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        Root = Path.GetFullPath(root ?? (string.IsNullOrEmpty(fromEnvironment) ? DefaultRoot : fromEnvironment));
    }

    public string Root { get; }
    private string BlobsDirectory => Path.Combine(Root, "blobs");
    private string LayersDirectory => Path.Combine(Root, "layers");
    private string ImagesDirectory => Path.Combine(Root, "images");
    private string LeasesDirectory => Path.Combine(Root, "leases");
    private string LocksDirectory => Path.Combine(Root, "locks");
    internal string TempDirectory => Path.Combine(Root, "tmp");

    public bool Exists => Directory.Exists(ImagesDirectory);

    public void EnsureLayout()
    {
        foreach (var directory in new[] { Root, BlobsDirectory, LayersDirectory, ImagesDirectory, LeasesDirectory, LocksDirectory, TempDirectory })
        {
#pragma warning disable CA1416 // Linux only, as the whole native engine
            if (!Directory.Exists(directory)) Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
#pragma warning restore CA1416
        }
    }

    public string BlobPath(Digest digest) => Path.Combine(BlobsDirectory, digest.Algorithm, digest.Hex);
    public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

    private static string LayerKey(Digest diffId) => diffId.Algorithm == "sha256" ? diffId.Hex : $"{diffId.Algorithm}-{diffId.Hex}";
    public string LayerDirectory(Digest diffId) => Path.Combine(LayersDirectory, LayerKey(diffId));
    /// <summary>The unpacked files of a layer: the folder overlayfs stacks.</summary>
    public string LayerContent(Digest diffId) => Path.Combine(LayerDirectory(diffId), "diff");
    public bool HasLayer(Digest diffId) => File.Exists(Path.Combine(LayerDirectory(diffId), "layer.json"));
    public LayerRecord? ReadLayer(Digest diffId) => Read<LayerRecord>(Path.Combine(LayerDirectory(diffId), "layer.json"));

    // ---- locks ----

    /// <summary>An exclusive lock (flock through FileShare.None) on a name; waits, and gives up when cancelled.</summary>
    public IDisposable Lock(string name, CancellationToken cancel)
    {
        var path = Path.Combine(LocksDirectory, name + ".lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!cancel.IsCancellationRequested)
            {
                cancel.WaitHandle.WaitOne(LockPoll);
            }
            cancel.ThrowIfCancellationRequested();
        }
    }

    public IDisposable? TryLock(string name)
    {
        try
        {
            return new FileStream(Path.Combine(LocksDirectory, name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string LayerLockName(Digest diffId) => "layer-" + LayerKey(diffId);
    public static string BlobLockName(Digest digest) => $"blob-{digest.Algorithm}-{digest.Hex}";
    public const string RecordsLockName = "images";

    // ---- temp work ----

    /// <summary>A fresh folder under tmp/, named after this process so a later run can clear what a killed one left.</summary>
    public string NewTempDirectory(string kind)
    {
        EnsureLayout();
        var path = Path.Combine(TempDirectory, $"{kind}-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes what pulls of processes that are gone left in tmp/ (a pwsh killed mid-pull).</summary>
    public void ClearStaleTemp()
    {
        if (!Directory.Exists(TempDirectory)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(TempDirectory))
        {
            var parts = Path.GetFileName(entry).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || ProcessAlive(pid)) continue;
            DeleteTree(entry);
        }
    }

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");

    // ---- blobs ----

    /// <summary>Stores a small verified blob (manifest, config) by its digest: temp file, then rename.</summary>
    public void PutBlob(Digest digest, byte[] bytes)
    {
        var path = BlobPath(digest);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(TempDirectory, $"blob-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}");
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Moves a verified blob file into place (another process may have put the same one: the same bytes).</summary>
    public void AdoptBlob(Digest digest, string file)
    {
        var path = BlobPath(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path)) File.Delete(file);
        else File.Move(file, path, overwrite: true);
    }

    public byte[]? ReadBlob(Digest digest)
    {
        try
        {
            return File.ReadAllBytes(BlobPath(digest));
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Moves an unpacked layer (a temp folder holding diff/ and layer.json) into place.</summary>
    public void AdoptLayer(Digest diffId, string tempDirectory)
    {
        var target = LayerDirectory(diffId);
        if (HasLayer(diffId))
        {
            DeleteTree(tempDirectory);
            return;
        }
        // A folder without layer.json is what a crash between rename and write would leave: impossible with
        // this order, but a leftover from an older layout must not block the rename.
        if (Directory.Exists(target)) DeleteTree(target);
        Directory.Move(tempDirectory, target);
    }

    // ---- image records ----

    public IEnumerable<ImageRecord> ReadImages()
    {
        if (!Directory.Exists(ImagesDirectory)) yield break;
        foreach (var file in Directory.EnumerateFiles(ImagesDirectory, "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            if (Read<ImageRecord>(file) is { } record) yield return record;
        }
    }

    public ImageRecord? ReadImage(string id) => Digest.TryParse(id, out var d) ? Read<ImageRecord>(ImagePath(d)) : null;

    private string ImagePath(Digest id) => Path.Combine(ImagesDirectory, $"{LayerKey(id)}.json");

    /// <summary>Writes an image's record; call under the records lock.</summary>
    public void WriteImage(ImageRecord record) => Write(ImagePath(Digest.Parse(record.Id)), record);

    public void DeleteImage(string id)
    {
        var path = ImagePath(Digest.Parse(id));
        if (File.Exists(path)) File.Delete(path);
    }

    // ---- leases ----

    public IEnumerable<ImageLease> ReadLeases()
    {
        if (!Directory.Exists(LeasesDirectory)) yield break;
        foreach (var file in Directory.EnumerateFiles(LeasesDirectory, "*.json"))
        {
            if (Read<ImageLease>(file) is { } lease) yield return lease;
        }
    }

    /// <summary>Leases whose container still exists (its state folder is there).</summary>
    public List<ImageLease> LiveLeases() => ReadLeases().Where(l => Directory.Exists(l.StateDirectory)).ToList();

    public void WriteLease(ImageLease lease)
    {
        EnsureLayout();
        Write(LeasePath(lease.ContainerId), lease);
    }

    public bool DeleteLease(string containerId)
    {
        var path = LeasePath(containerId);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    private string LeasePath(string containerId)
    {
        if (containerId.Length == 0 || containerId.Any(c => !char.IsAsciiLetterOrDigit(c))) throw new ArgumentException($"Bad container id '{containerId}'.");
        return Path.Combine(LeasesDirectory, containerId + ".json");
    }

    // ---- garbage ----

    /// <summary>
    /// Deletes the layers and blobs that no image record and no live lease needs; a layer being pulled
    /// (its lock held) is left alone. Call under the records lock. Returns the diff ids of the deleted layers.
    /// </summary>
    public List<string> CollectGarbage()
    {
        var images = ReadImages().ToList();
        var leases = ReadLeases().ToList();
        foreach (var stale in leases.Where(l => !Directory.Exists(l.StateDirectory))) DeleteLease(stale.ContainerId);
        var liveLayers = new HashSet<string>(images.SelectMany(i => i.Layers.Select(l => l.DiffId))
            .Concat(leases.Where(l => Directory.Exists(l.StateDirectory)).SelectMany(l => l.Layers)), StringComparer.Ordinal);
        var deleted = new List<string>();
        if (Directory.Exists(LayersDirectory))
        {
            foreach (var directory in Directory.EnumerateDirectories(LayersDirectory).ToList())
            {
                var record = Read<LayerRecord>(Path.Combine(directory, "layer.json"));
                if (record is null || liveLayers.Contains(record.DiffId) || !Digest.TryParse(record.DiffId, out var diffId)) continue;
                using var held = TryLock(LayerLockName(diffId));
                if (held is null) continue;
                // Renamed away first, so no half-deleted layer is ever visible under its name.
                var doomed = Path.Combine(TempDirectory, $"gc-{Environment.ProcessId}-{Path.GetFileName(directory)}");
                Directory.Move(directory, doomed);
                DeleteTree(doomed);
                deleted.Add(record.DiffId);
            }
        }
        var liveBlobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            liveBlobs.Add(image.Id);
            liveBlobs.Add(image.ManifestDigest);
            foreach (var repoDigest in image.RepoDigests) liveBlobs.Add(repoDigest[(repoDigest.IndexOf('@') + 1)..]);
            foreach (var layer in image.Layers) liveBlobs.Add(layer.Digest);
        }
        foreach (var algorithm in Directory.Exists(BlobsDirectory) ? Directory.EnumerateDirectories(BlobsDirectory).ToList() : new List<string>())
        {
            foreach (var file in Directory.EnumerateFiles(algorithm).ToList())
            {
                var digest = $"{Path.GetFileName(algorithm)}:{Path.GetFileName(file)}";
                if (liveBlobs.Contains(digest) || !Digest.TryParse(digest, out var d)) continue;
                using var held = TryLock(BlobLockName(d));
                if (held is not null) File.Delete(file);
            }
        }
        return deleted;
    }

    internal static T? Read<T>(string path) where T : class => State.StateStore.Read<T>(path);

    internal void Write<T>(string path, T value)
    {
        var temp = Path.Combine(TempDirectory, $"record-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(value, State.StateStore.Json));
        File.Move(temp, path, overwrite: true);
    }
}
