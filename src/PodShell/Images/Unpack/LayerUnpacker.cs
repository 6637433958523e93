using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PodShell.Linux;

namespace PodShell.Images.Unpack;

/// <summary>
/// Unpacks one layer's tar into an empty folder as runc-based runtimes do for overlayfs: OCI whiteouts
/// (.wh.name) become 0:0 character devices, opaque markers (.wh..wh..opq) the trusted.overlay.opaque
/// xattr; hard links, symlinks, devices, fifos, xattrs, owners, modes and mtimes are kept. An entry that
/// would land outside the folder (absolute, ../, or through a symlink made by an earlier entry) is refused.
/// </summary>
internal sealed class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly string _root;
    private readonly CancellationToken _cancel;
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = new();
    private readonly byte[] _buffer = new byte[128 * 1024];

    public LayerUnpacker(string root, CancellationToken cancel)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _cancel = cancel;
    }

    /// <summary>Bytes of regular file content written.</summary>
    public long ContentBytes { get; private set; }
    /// <summary>Extended attributes that could not be kept (binary values System.Formats.Tar cannot hand over intact).</summary>
    public List<string> SkippedXattrs { get; } = new();

    public void Unpack(Stream tar)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry(copyData: false)) is not null)
        {
            _cancel.ThrowIfCancellationRequested();
            Apply(entry);
        }
        // Folder times last: creating their children changed them.
        for (var i = _directoryTimes.Count - 1; i >= 0; i--) FileSystemCalls.SetTimes(_directoryTimes[i].Path, _directoryTimes[i].Time);
    }

    private void Apply(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) return;
        var components = SafeComponents(entry.Name, entry.Name);
        if (components.Count > 0)
        {
            var name = components[^1];
            if (name == OpaqueMarker)
            {
                var directory = PrepareParent(components, entry.Name);
                FileSystemCalls.MarkOpaque(directory);
                return;
            }
            if (name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal)) return; // AUFS bookkeeping (.wh..wh.plnk ...)
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var hidden = name[WhiteoutPrefix.Length..];
                if (hidden.Length == 0 || hidden == "." || hidden == "..") throw Refuse(entry.Name, "names no file to delete");
                var parent = PrepareParent(components, entry.Name);
                var target = Path.Combine(parent, hidden);
                RemoveExisting(target);
                FileSystemCalls.MakeWhiteout(target);
                return;
            }
        }
        var path = components.Count == 0 ? _root : Path.Combine(PrepareParent(components, entry.Name), components[^1]);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!IsRealDirectory(path))
                {
                    RemoveExisting(path);
                    Directory.CreateDirectory(path);
                }
                SetMetadata(path, entry, isLink: false);
                _directoryTimes.Add((path, entry.ModificationTime));
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path);
                WriteFile(path, entry);
                break;
            case TarEntryType.SymbolicLink:
                RemoveExisting(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                SetMetadata(path, entry, isLink: true);
                FileSystemCalls.SetTimes(path, entry.ModificationTime);
                return;
            case TarEntryType.HardLink:
                var target = Path.Combine(new[] { _root }.Concat(SafeComponents(entry.LinkName, entry.Name)).ToArray());
                CheckNoSymlinkParents(target, entry.Name);
                if (!File.Exists(target) && !IsSymlink(target)) throw Refuse(entry.Name, $"is a hard link to '{entry.LinkName}', which is not an earlier file of this layer");
                if (IsRealDirectory(target)) throw Refuse(entry.Name, "is a hard link to a folder");
                RemoveExisting(path);
                FileSystemCalls.HardLink(target, path);
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                RemoveExisting(path);
                var type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => FileSystemCalls.S_IFCHR,
                    TarEntryType.BlockDevice => FileSystemCalls.S_IFBLK,
                    _ => FileSystemCalls.S_IFIFO,
                };
                var (major, minor) = entry is PosixTarEntry posix ? (posix.DeviceMajor, posix.DeviceMinor) : (0, 0);
                FileSystemCalls.MakeNode(path, type, (int)entry.Mode, major, minor);
                break;
            default:
                throw new InvalidDataException($"The layer has an entry of a type PodShell cannot unpack ({entry.EntryType}): {entry.Name}.");
        }
        SetMetadata(path, entry, isLink: false);
        FileSystemCalls.SetTimes(path, entry.ModificationTime);
    }

    private void WriteFile(string path, TarEntry entry)
    {
        using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            if (entry.DataStream is { } data)
            {
                int read;
                while ((read = data.Read(_buffer, 0, _buffer.Length)) > 0)
                {
                    output.Write(_buffer, 0, read);
                    ContentBytes += read;
                }
            }
        }
    }

    /// <summary>Owner, then mode (chown clears setuid bits), then xattrs (chown clears file capabilities).</summary>
    private void SetMetadata(string path, TarEntry entry, bool isLink)
    {
        FileSystemCalls.Chown(path, entry.Uid, entry.Gid);
        if (!isLink) FileSystemCalls.Chmod(path, (int)entry.Mode);
        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (!key.StartsWith(XattrPrefix, StringComparison.Ordinal)) continue;
                var name = key[XattrPrefix.Length..];
                // A layer must not forge overlay's own markers (opaque, redirect, metacopy) on the lower folders.
                if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)) continue;
                if (value.Contains('\uFFFD'))
                {
                    SkippedXattrs.Add($"{entry.Name}: {name}");
                    continue;
                }
                FileSystemCalls.SetXattr(path, name, Encoding.UTF8.GetBytes(value));
            }
        }
    }

    /// <summary>The entry's path as folder names under the layer root, refusing absolute paths and escapes.</summary>
    private static List<string> SafeComponents(string name, string entryName)
    {
        if (name.Contains('\0')) throw Refuse(entryName, "has a NUL character in its name");
        if (name.StartsWith('/')) throw Refuse(entryName, "has an absolute path");
        var components = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (components.Count == 0) throw Refuse(entryName, "climbs out of the layer with '..'");
                components.RemoveAt(components.Count - 1);
                continue;
            }
            components.Add(part);
        }
        return components;
    }

    /// <summary>Makes the entry's parent folders (0755 root) and returns the parent; a symlink on the way is refused.</summary>
    private string PrepareParent(List<string> components, string entryName)
    {
        var current = _root;
        for (var i = 0; i < components.Count - 1; i++)
        {
            current = Path.Combine(current, components[i]);
            if (IsSymlink(current)) throw Refuse(entryName, $"would be written through the symlink '{string.Join('/', components.Take(i + 1))}'");
            if (Directory.Exists(current)) continue;
            if (File.Exists(current)) throw Refuse(entryName, $"needs '{string.Join('/', components.Take(i + 1))}' to be a folder, but it is a file");
            Directory.CreateDirectory(current);
        }
        return current;
    }

    private void CheckNoSymlinkParents(string path, string entryName)
    {
        var relative = Path.GetRelativePath(_root, path);
        var current = _root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (IsSymlink(current)) throw Refuse(entryName, $"links through the symlink '{string.Join('/', parts.Take(i + 1))}'");
        }
    }

    private static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool IsRealDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        return info.Exists && info.LinkTarget is null;
    }

    private static void RemoveExisting(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static UnsafeLayerEntryException Refuse(string entryName, string why) => new(entryName, why);
}

/// <summary>A tar entry that would write outside its layer folder.</summary>
internal sealed class UnsafeLayerEntryException(string entry, string why) : IOException($"The entry '{entry}' {why}.")
{
    public string Entry { get; } = entry;
}
