using System;
using System.IO;
using PodShell.Engine;

namespace PodShell.Images.Archive;

/// <summary>Files of an unpacked archive or layout folder, by relative name; a name or symlink leading outside the folder is refused.</summary>
internal sealed class ArchiveFolder(string root)
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd('/');

    public bool Exists(string name) => File.Exists(Resolve(name));
    public byte[] ReadAll(string name)
    {
        var path = Resolve(name);
        if (!File.Exists(path)) throw ImageErrors.Invalid(ErrorIds.InvalidArchive, $"The archive has no file '{name}'.", "The archive is incomplete: make it again.", name);
        if (new FileInfo(path).Length > 64 * 1024 * 1024) throw ImageErrors.Invalid(ErrorIds.InvalidArchive, $"'{name}' in the archive is too large for a metadata file.", null, name);
        return File.ReadAllBytes(path);
    }

    public Stream Open(string name)
    {
        var path = Resolve(name);
        if (!File.Exists(path)) throw ImageErrors.Invalid(ErrorIds.InvalidArchive, $"The archive has no file '{name}'.", "The archive is incomplete: make it again.", name);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    public long Length(string name) => new FileInfo(Resolve(name)).Length;

    /// <summary>The real path of a name inside the folder, following symlinks (at any depth) only while they stay inside.</summary>
    private string Resolve(string name)
    {
        var pending = new System.Collections.Generic.Queue<string>(name.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = _root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == ".") continue;
            var next = part == ".." ? Path.GetDirectoryName(current)! : Path.Combine(current, part);
            if (next != _root && !Inside(next)) throw Outside(name);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > 32) throw Outside(name);
                var rest = pending.ToArray();
                pending.Clear();
                if (target.StartsWith('/')) throw Outside(name);
                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries)) pending.Enqueue(t);
                foreach (var r in rest) pending.Enqueue(r);
                continue;
            }
            current = next;
        }
        return current;
    }

    private static Engine.PodEngineException Outside(string name) => ImageErrors.Security(ErrorIds.UnsafeArchiveEntry, $"The archive's '{name}' leads outside the archive.", name);

    private bool Inside(string path) => path.StartsWith(_root + "/", StringComparison.Ordinal);
}
