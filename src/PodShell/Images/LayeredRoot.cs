using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Linux;

namespace PodShell.Images;

/// <summary>
/// Reads files of an image as its overlay will show them, without mounting: the topmost layer holding a path
/// wins, whiteouts hide it, an opaque folder hides what lower layers have beneath it; symlinks resolve
/// against the image's own root.
/// </summary>
internal sealed class LayeredRoot(IReadOnlyList<string> lowerDirsTopFirst)
{
    private const int MaxSymlinkHops = 40;

    /// <summary>The node path of the file a container path names (symlinks followed), or null.</summary>
    public string? Resolve(string containerPath)
    {
        var pending = new Queue<string>(Split(containerPath));
        var current = new List<string>();
        var hops = 0;
        string? found = null;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == "..")
            {
                if (current.Count > 0) current.RemoveAt(current.Count - 1);
                continue;
            }
            current.Add(part);
            found = Find(current);
            if (found is null) return null;
            if (new FileInfo(found).LinkTarget is { } target)
            {
                if (++hops > MaxSymlinkHops) return null;
                current.RemoveAt(current.Count - 1);
                if (target.StartsWith('/')) current.Clear();
                var rest = pending.ToArray();
                pending.Clear();
                foreach (var t in Split(target)) pending.Enqueue(t);
                foreach (var r in rest) pending.Enqueue(r);
                found = null;
            }
        }
        return current.Count == 0 ? lowerDirsTopFirst.FirstOrDefault() : found;
    }

    public bool FileExists(string containerPath) => Resolve(containerPath) is { } path && File.Exists(path);

    /// <summary>Finds a command the way execvp would.</summary>
    public bool CommandExists(string command, IEnumerable<string> pathEntries) =>
        command.Contains('/') ? FileExists(command) : pathEntries.Any(dir => FileExists(dir.TrimEnd('/') + "/" + command));

    public string? ReadText(string containerPath) => Resolve(containerPath) is { } path && File.Exists(path) ? File.ReadAllText(path) : null;

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    /// <summary>The topmost layer's entry for a path whose parents are real folders in the merged view.</summary>
    private string? Find(List<string> parts)
    {
        foreach (var layer in lowerDirsTopFirst)
        {
            var blockedBelow = false;
            var path = layer;
            for (var i = 0; i < parts.Count; i++)
            {
                path = Path.Combine(path, parts[i]);
                var stat = FileSystemCalls.LStat(path);
                if (stat is null) break;
                if (FileSystemCalls.IsWhiteout(path)) return null;
                if (i == parts.Count - 1) return path;
                if (!Directory.Exists(path) || new FileInfo(path).LinkTarget is not null) return null;
                if (FileSystemCalls.IsOpaque(path)) blockedBelow = true;
            }
            if (blockedBelow) return null;
        }
        return null;
    }
}
