using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>Reads cgroups as users see them: a node with its processes, limits and usage; a process's cgroups.</summary>
public static class CgroupInspector
{
    /// <summary>One cgroup of one hierarchy, or null when its folder does not exist.</summary>
    public static CgroupNode? ReadNode(CgroupHierarchy hierarchy, string relativePath, int depth = 0)
    {
        string rel = CgroupHierarchy.NormalizeRelative(relativePath);
        string dir = hierarchy.GetDirectory(rel);
        if (!Directory.Exists(dir)) return null;
        var node = new CgroupNode
        {
            Path = "/" + rel,
            FullPath = dir,
            Hierarchy = hierarchy.Name,
            Version = hierarchy.Version,
            ProcessIds = CgroupIO.ReadProcs(Path.Combine(dir, "cgroup.procs")),
            Depth = depth,
        };
        MemoryController.Fill(node, hierarchy, dir);
        CpuController.Fill(node, hierarchy, dir);
        PidsController.Fill(node, hierarchy, dir);
        return node;
    }

    /// <summary>The cgroup, then (with recurse) its descendants depth-first in name order, like systemd-cgls.</summary>
    public static IEnumerable<CgroupNode> ReadTree(CgroupHierarchy hierarchy, string relativePath, bool recurse)
    {
        string rel = CgroupHierarchy.NormalizeRelative(relativePath);
        return Walk(hierarchy, rel, 0, recurse, "", true);
    }

    // indent: the tree lines of the ancestors ("│ " while an ancestor has siblings below it, else "  ").
    private static IEnumerable<CgroupNode> Walk(CgroupHierarchy hierarchy, string rel, int depth, bool recurse, string indent, bool last)
    {
        CgroupNode? node = ReadNode(hierarchy, rel, depth);
        if (node is null) yield break;
        node.TreeLabel = depth == 0 ? node.Path : indent + (last ? "└─" : "├─") + node.Name;
        yield return node;
        if (!recurse) yield break;

        string[] children;
        try
        {
            children = Directory.GetDirectories(node.FullPath).Select(Path.GetFileName).OfType<string>()
                .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            yield break; // removed while we walked
        }
        string childIndent = depth == 0 ? "" : indent + (last ? "  " : "│ ");
        for (int i = 0; i < children.Length; i++)
        {
            string child = children[i];
            foreach (CgroupNode descendant in Walk(hierarchy, rel.Length == 0 ? child : rel + "/" + child, depth + 1, recurse, childIndent, i == children.Length - 1))
            {
                yield return descendant;
            }
        }
    }

    /// <summary>
    /// Where a user's -Path points. On v1 and hybrid a first segment naming a hierarchy (its mount
    /// folder "memory", "cpu,cpuacct", "systemd", "unified", or one of its controllers "cpu") selects that
    /// hierarchy and the rest is the cgroup; otherwise the path is looked up in every hierarchy and only
    /// those where it exists are returned. On v2 the path is relative to the unified root.
    /// </summary>
    public static IReadOnlyList<(CgroupHierarchy Hierarchy, string RelativePath)> Resolve(CgroupFileSystem fs, string path, out bool hierarchySelected)
    {
        string rel = CgroupHierarchy.NormalizeRelative(path ?? "/");
        hierarchySelected = false;
        if (fs.Mode == CgroupMode.V2)
        {
            return new[] { (fs.Unified!, rel) };
        }

        int slash = rel.IndexOf('/');
        string first = slash < 0 ? rel : rel.Substring(0, slash);
        string rest = slash < 0 ? "" : rel.Substring(slash + 1);
        if (first.Length > 0)
        {
            CgroupHierarchy? selected =
                fs.Hierarchies.FirstOrDefault(h => Path.GetFileName(h.MountPoint) == first)
                ?? fs.Hierarchies.FirstOrDefault(h => h.Name == first)
                ?? fs.Hierarchies.FirstOrDefault(h => h.Version == 1 && (h.HasController(first) || h.HasController("name=" + first)));
            if (selected is not null)
            {
                hierarchySelected = true;
                return new[] { (selected, rest) };
            }
        }
        return fs.Hierarchies.Where(h => Directory.Exists(h.GetDirectory(rel))).Select(h => (h, rel)).ToArray();
    }

    /// <summary>
    /// The lines of /proc/&lt;pid&gt;/cgroup, each matched to its mounted hierarchy for FullPath.
    /// Throws FileNotFoundException or DirectoryNotFoundException when the process does not exist.
    /// </summary>
    public static IReadOnlyList<ProcessCgroup> ReadProcess(int processId, CgroupFileSystem fs, string procRoot = "/proc")
    {
        string[] lines = File.ReadAllLines(Path.Combine(procRoot, processId.ToString(CultureInfo.InvariantCulture), "cgroup"));
        var result = new List<ProcessCgroup>();
        foreach (string line in lines)
        {
            string[] f = line.Split(':', 3);
            if (f.Length != 3 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id)) continue;
            bool unified = id == 0 && f[1].Length == 0;
            CgroupHierarchy? h = unified ? fs.Unified : FindV1(fs, f[1]);
            string? full = h?.MapKernelPath(f[2]);
            result.Add(new ProcessCgroup
            {
                ProcessId = processId,
                HierarchyId = id,
                Controllers = f[1],
                Path = f[2],
                Version = unified ? 2 : 1,
                FullPath = full is not null && Directory.Exists(full) ? full : null,
            });
        }
        return result;
    }

    internal static CgroupHierarchy? FindV1(CgroupFileSystem fs, string controllers)
    {
        var wanted = controllers.Split(',', StringSplitOptions.RemoveEmptyEntries).OrderBy(c => c, StringComparer.Ordinal);
        return fs.Hierarchies.FirstOrDefault(h => h.Version == 1
            && h.Controllers.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual(wanted, StringComparer.Ordinal));
    }
}

/// <summary>The limits that bind a process in one hierarchy: its own cgroup's and the tightest of its ancestors'.</summary>
public static class CgroupLimitReader
{
    /// <summary>Fills the limit properties of a /proc/&lt;pid&gt;/cgroup line whose folder was found.</summary>
    public static void Fill(ProcessCgroup line, CgroupFileSystem fs)
    {
        if (line.FullPath is null) return;
        CgroupHierarchy? h = line.Version == 2 ? fs.Unified : CgroupInspector.FindV1(fs, line.Controllers);
        if (h is null) return;
        bool memory = h.Version == 2 ? File.Exists(Path.Combine(line.FullPath, "memory.max")) : h.HasController(MemoryController.Name);
        bool cpu = h.Version == 2 ? File.Exists(Path.Combine(line.FullPath, "cpu.max")) : h.HasController(CpuController.Name);
        bool pids = File.Exists(Path.Combine(line.FullPath, "pids.max"));

        // The own cgroup first, then each ancestor up to the hierarchy's mount point.
        var chain = new List<(string Dir, string Path)>();
        string dir = line.FullPath, path = line.Path;
        while (true)
        {
            chain.Add((dir, path));
            if (dir.Length <= h.MountPoint.Length || path == "/" || path.Length == 0) break;
            dir = System.IO.Path.GetDirectoryName(dir)!;
            int slash = path.LastIndexOf('/');
            path = slash <= 0 ? "/" : path.Substring(0, slash);
        }

        if (memory)
        {
            line.MemoryLimit = MemoryController.ReadLimit(h, chain[0].Dir);
            (line.EffectiveMemoryLimit, line.EffectiveMemoryLimitPath) = Tightest(chain, d => MemoryController.ReadLimit(h, d));
        }
        if (cpu)
        {
            double? Bandwidth(string d)
            {
                if (h.Version == 1)
                {
                    long? q = CgroupIO.ReadInt64(Path.Combine(d, "cpu.cfs_quota_us"));
                    long? p = CgroupIO.ReadInt64(Path.Combine(d, "cpu.cfs_period_us"));
                    return q is > 0 && p is > 0 ? (double)q / p : null;
                }
                var max = CpuController.ParseCpuMax(CgroupIO.ReadText(Path.Combine(d, "cpu.max")));
                return max?.Quota is { } quota && max.Value.Period > 0 ? (double)quota / max.Value.Period : null;
            }
            line.CpuLimit = Bandwidth(chain[0].Dir);
            (line.EffectiveCpuLimit, line.EffectiveCpuLimitPath) = Tightest(chain, Bandwidth);
            if (h.Version == 1) line.CpuShares = CgroupIO.ReadUInt64(Path.Combine(chain[0].Dir, "cpu.shares"));
            else line.CpuWeight = CgroupIO.ReadUInt64(Path.Combine(chain[0].Dir, "cpu.weight"));
        }
        if (pids)
        {
            long? Pids(string d) => CgroupIO.ReadMaxOrInt64(Path.Combine(d, "pids.max"), out _);
            line.PidsLimit = Pids(chain[0].Dir);
            (line.EffectivePidsLimit, line.EffectivePidsLimitPath) = Tightest(chain, Pids);
        }
    }

    private static (T?, string?) Tightest<T>(List<(string Dir, string Path)> chain, Func<string, T?> read) where T : struct, IComparable<T>
    {
        T? best = null;
        string? at = null;
        foreach (var (dir, path) in chain)
        {
            if (read(dir) is { } v && (best is null || v.CompareTo(best.Value) < 0))
            {
                best = v;
                at = path;
            }
        }
        return (best, at);
    }
}
