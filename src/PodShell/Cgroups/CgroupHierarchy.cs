using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PodShell.Cgroups;

/// <summary>One mounted cgroup hierarchy: a v1 mount with its controllers, or the v2 unified one.</summary>
public sealed class CgroupHierarchy
{
    public CgroupHierarchy(int version, string mountPoint, IEnumerable<string> controllers, int id = -1, string mountRoot = "/")
    {
        if (version is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(version), version, "A cgroup hierarchy is version 1 or 2.");
        Version = version;
        MountPoint = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        Controllers = controllers.Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        Id = id;
        MountRoot = string.IsNullOrEmpty(mountRoot) ? "/" : mountRoot;
    }

    /// <summary>1 for a v1 hierarchy, 2 for the unified hierarchy.</summary>
    public int Version { get; }

    /// <summary>Where the hierarchy is mounted (or the folder that stands for it in a fixture).</summary>
    public string MountPoint { get; }

    /// <summary>v1: the controllers bound to the mount ("cpu", "cpuacct", "name=systemd"); v2: those in the root's cgroup.controllers.</summary>
    public IReadOnlyList<string> Controllers { get; }

    /// <summary>The hierarchy id as in /proc/&lt;pid&gt;/cgroup (0 for the unified one), -1 when unknown.</summary>
    public int Id { get; }

    /// <summary>The cgroup mounted at MountPoint, "/" unless the mount is a bind of a sub-cgroup (inside containers).</summary>
    public string MountRoot { get; }

    /// <summary>"memory", "cpu,cpuacct", "name=systemd" for v1 (as in /proc/&lt;pid&gt;/cgroup); "unified" for v2.</summary>
    public string Name => Version == 2 ? "unified" : string.Join(",", Controllers);

    public bool HasController(string controller) => Controllers.Contains(controller, StringComparer.Ordinal);

    /// <summary>The folder of a cgroup given relative to this hierarchy's root ("podshell/pod1" or "/podshell/pod1").</summary>
    public string GetDirectory(string relativePath)
    {
        string normalized = NormalizeRelative(relativePath);
        return normalized.Length == 0 ? MountPoint : MountPoint + "/" + normalized;
    }

    /// <summary>
    /// Maps a path as the kernel reports it in /proc/&lt;pid&gt;/cgroup to its folder under this mount,
    /// or null when the cgroup lies outside what is mounted (MountRoot is not "/" and not a prefix).
    /// </summary>
    public string? MapKernelPath(string kernelPath)
    {
        string root = MountRoot.TrimEnd('/');
        string path = kernelPath.Length == 0 ? "/" : kernelPath;
        if (root.Length > 0)
        {
            if (path == root) path = "/";
            else if (path.StartsWith(root + "/", StringComparison.Ordinal)) path = path.Substring(root.Length);
            else return null;
        }
        return GetDirectory(path);
    }

    /// <summary>"/a/b/" or "a/b" -> "a/b"; "/" -> ""; rejects "..", "." and empty segments in the middle.</summary>
    internal static string NormalizeRelative(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        string[] segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (string segment in segments)
        {
            if (segment is "." or "..")
            {
                throw new ArgumentException($"The cgroup path '{relativePath}' must not contain '.' or '..' segments.", nameof(relativePath));
            }
        }
        return string.Join("/", segments);
    }

    public override string ToString() => $"{Name} ({MountPoint})";
}
