using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Linux;
using PodShell.Protocol;

namespace PodShell.Native;

/// <summary>
/// The "host" image: the node's root filesystem as the read-only lower layer of an overlay. An overlay
/// sees only the root mount, so the node's separate system mounts (/usr, /opt, ...) are bound in read-only.
/// </summary>
internal static class HostImage
{
    public const string Name = "host";

    private static readonly string[] SystemTrees = { "/usr", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/srv" };

    public static RootfsSpec Rootfs() => new()
    {
        LowerDirs = new List<string> { "/" },
        Binds = SeparateSystemMounts().Select(m => new BindMount { Source = m, Destination = m, ReadOnly = true }).ToList(),
    };

    private static IEnumerable<string> SeparateSystemMounts()
    {
        foreach (var mount in MountInfo.Read())
        {
            var mountPoint = mount.MountPoint;
            if (SystemTrees.Any(t => mountPoint == t || mountPoint.StartsWith(t + "/", StringComparison.Ordinal)))
            {
                yield return mountPoint;
            }
        }
    }

    /// <summary>Finds a command the way execvp would, inside a root folder (symlinks resolved against that root).</summary>
    public static bool CommandExists(string root, string command, IEnumerable<string> pathEntries)
    {
        if (command.Contains('/')) return ExistsUnder(root, command);
        return pathEntries.Any(dir => ExistsUnder(root, Path.Combine(dir, command)));
    }

    private static bool ExistsUnder(string root, string path)
    {
        var current = path;
        for (var hops = 0; hops < 40; hops++)
        {
            var full = Path.Join(root, current);
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                current = target.StartsWith('/') ? target : Path.Combine(Path.GetDirectoryName(current) ?? "/", target);
                continue;
            }
            return info.Exists;
        }
        return false;
    }
}
