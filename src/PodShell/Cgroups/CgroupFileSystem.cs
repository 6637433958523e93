using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PodShell.Linux;

namespace PodShell.Cgroups;

/// <summary>The node's cgroup mounts below a root (the real /sys/fs/cgroup, or a fixture folder in tests).</summary>
public sealed class CgroupFileSystem
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    public CgroupFileSystem(CgroupMode mode, string root, IEnumerable<CgroupHierarchy> hierarchies)
    {
        Mode = mode;
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Hierarchies = hierarchies.ToArray();
        Unified = Hierarchies.FirstOrDefault(h => h.Version == 2);
    }

    public CgroupMode Mode { get; }

    public string Root { get; }

    /// <summary>v1: one per mount with its controllers (name=systemd too), then the unified one on hybrid; v2: the unified one.</summary>
    public IReadOnlyList<CgroupHierarchy> Hierarchies { get; }

    public CgroupHierarchy? Unified { get; }

    /// <summary>
    /// The hierarchy that holds a controller: a v1 mount first, then the unified hierarchy when the
    /// controller is available at its root (on hybrid nodes the unified one usually has none).
    /// </summary>
    public CgroupHierarchy? FindController(string controller)
    {
        return Hierarchies.FirstOrDefault(h => h.Version == 1 && h.HasController(controller))
            ?? (Unified is not null && Unified.HasController(controller) ? Unified : null);
    }

    /// <summary>
    /// Finds the cgroup mounts at or below <paramref name="root"/>: statfs says cgroup2 => V2; else the
    /// cgroup and cgroup2 mounts below it in /proc/self/mountinfo (Hybrid when there is a cgroup2 one).
    /// A fixture (plain folders) is recognised by its files: root/cgroup.controllers => V2; subfolders
    /// with cgroup.procs => V1 named by folder ("cpu,cpuacct"), Hybrid when root/unified has cgroup.controllers.
    /// </summary>
    public static CgroupFileSystem Detect(string root = DefaultRoot)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(string.IsNullOrEmpty(root) ? DefaultRoot : root));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The cgroup root '{full}' does not exist.");
        }

        long? fsType = CgroupIO.FileSystemType(full);
        if (fsType == CgroupIO.CGROUP2_SUPER_MAGIC)
        {
            return new CgroupFileSystem(CgroupMode.V2, full, new[] { UnifiedAt(full) });
        }

        var mounted = FromMountInfo(full, fsType == CgroupIO.CGROUP_SUPER_MAGIC);
        if (mounted is not null) return mounted;

        return FromFixture(full) ?? throw new PodShellException(
            $"No cgroup file system was found at '{full}': it is neither a cgroup2 mount, nor holds cgroup mounts, nor looks like a cgroup tree.");
    }

    private static CgroupHierarchy UnifiedAt(string mountPoint, string mountRoot = "/")
    {
        string? controllers = CgroupIO.ReadText(Path.Combine(mountPoint, "cgroup.controllers"));
        return new CgroupHierarchy(2, mountPoint, SplitWords(controllers), 0, mountRoot);
    }

    private static CgroupFileSystem? FromMountInfo(string root, bool rootIsV1Mount)
    {
        List<MountInfoEntry> mounts;
        try
        {
            mounts = MountInfo.Read();
        }
        catch (IOException)
        {
            return null;
        }

        Dictionary<string, int> subsystemIds = ReadSubsystemIds();
        var byMountPoint = new Dictionary<string, CgroupHierarchy>(StringComparer.Ordinal);
        foreach (MountInfoEntry mount in mounts)
        {
            string fsType = mount.FileSystemType;
            if (fsType is not ("cgroup" or "cgroup2")) continue;

            string mountPoint = mount.MountPoint;
            bool inside = rootIsV1Mount ? mountPoint == root : mountPoint == root || mountPoint.StartsWith(root + "/", StringComparison.Ordinal);
            if (!inside) continue;
            string mountRoot = mount.Root;

            CgroupHierarchy hierarchy;
            if (fsType == "cgroup2")
            {
                hierarchy = UnifiedAt(mountPoint, mountRoot);
            }
            else
            {
                var controllers = mount.SuperOptions.Split(',')
                    .Where(o => subsystemIds.ContainsKey(o) || o.StartsWith("name=", StringComparison.Ordinal))
                    .ToArray();
                int id = controllers.Select(c => subsystemIds.TryGetValue(c, out int i) ? i : -1).FirstOrDefault(i => i > 0, -1);
                if (id < 0) id = HierarchyIdFromSelf(controllers);
                hierarchy = new CgroupHierarchy(1, mountPoint, controllers, id, mountRoot);
            }
            // A later mount on the same point hides the earlier one.
            byMountPoint[mountPoint] = hierarchy;
        }

        if (byMountPoint.Count == 0) return null;
        var v1 = byMountPoint.Values.Where(h => h.Version == 1).OrderBy(h => h.MountPoint, StringComparer.Ordinal).ToList();
        var v2 = byMountPoint.Values.Where(h => h.Version == 2).OrderBy(h => h.MountPoint.Length).ToList();
        if (v1.Count == 0)
        {
            return new CgroupFileSystem(CgroupMode.V2, root, v2.Take(1));
        }
        return new CgroupFileSystem(v2.Count > 0 ? CgroupMode.Hybrid : CgroupMode.V1, root, v1.Concat(v2.Take(1)));
    }

    private static CgroupFileSystem? FromFixture(string root)
    {
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            return new CgroupFileSystem(CgroupMode.V2, root, new[] { UnifiedAt(root) });
        }

        var v1 = new List<CgroupHierarchy>();
        CgroupHierarchy? unified = null;
        foreach (string dir in Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (File.Exists(Path.Combine(dir, "cgroup.controllers")))
            {
                unified ??= UnifiedAt(dir);
            }
            else if (File.Exists(Path.Combine(dir, "cgroup.procs")))
            {
                var controllers = name.Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => c == "systemd" ? "name=systemd" : c);
                v1.Add(new CgroupHierarchy(1, dir, controllers));
            }
        }
        if (v1.Count == 0) return unified is null ? null : new CgroupFileSystem(CgroupMode.V2, root, new[] { unified });
        if (unified is not null) v1.Add(unified);
        return new CgroupFileSystem(unified is null ? CgroupMode.V1 : CgroupMode.Hybrid, root, v1);
    }

    private static Dictionary<string, int> ReadSubsystemIds()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        string? text = CgroupIO.ReadText("/proc/cgroups");
        if (text is null) return ids;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            string[] f = line.Split('\t', ' ');
            if (f.Length >= 4 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int id) && f[3] == "1")
            {
                ids[f[0]] = id;
            }
        }
        return ids;
    }

    // Named hierarchies (name=systemd) are not in /proc/cgroups; /proc/self/cgroup has their id.
    private static int HierarchyIdFromSelf(string[] controllers)
    {
        string? text = CgroupIO.ReadText("/proc/self/cgroup");
        if (text is null) return -1;
        string wanted = string.Join(",", controllers.OrderBy(c => c, StringComparer.Ordinal));
        foreach (string line in text.Split('\n'))
        {
            string[] f = line.Split(':', 3);
            if (f.Length == 3 && string.Join(",", f[1].Split(',').OrderBy(c => c, StringComparer.Ordinal)) == wanted
                && int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                return id;
            }
        }
        return -1;
    }

    internal static IEnumerable<string> SplitWords(string? text) =>
        text is null ? Array.Empty<string>() : text.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries);

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    public override string ToString() => $"{Mode} at {Root}: {string.Join("; ", Hierarchies.Select(h => h.Name))}";
}
