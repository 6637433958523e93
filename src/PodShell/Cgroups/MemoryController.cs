using System.IO;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>The memory controller: v1 memory.limit_in_bytes / usage_in_bytes / oom_control, v2 memory.max / current / events.</summary>
public static class MemoryController
{
    public const string Name = "memory";

    /// <summary>
    /// v1 reports "no limit" as PAGE_COUNTER_MAX pages: 9223372036854771712 with 4 KiB pages, a little
    /// less with larger pages; anything this close to long.MaxValue is unlimited.
    /// </summary>
    public const long V1UnlimitedThreshold = long.MaxValue - (1L << 20);

    /// <summary>Sets the limit in bytes; null removes it (v1 -1, v2 "max").</summary>
    public static void SetLimit(CgroupHierarchy hierarchy, string directory, long? bytes)
    {
        if (bytes is < 0) throw new System.ArgumentOutOfRangeException(nameof(bytes), bytes, "A memory limit cannot be negative.");
        if (hierarchy.Version == 1)
        {
            CgroupIO.Write(Path.Combine(directory, "memory.limit_in_bytes"), bytes is null ? "-1" : CgroupIO.Format(bytes.Value));
        }
        else
        {
            CgroupIO.Write(Path.Combine(directory, "memory.max"), bytes is null ? "max" : CgroupIO.Format(bytes.Value));
        }
    }

    /// <summary>The limit in bytes, or null when unlimited or not readable.</summary>
    public static long? ReadLimit(CgroupHierarchy hierarchy, string directory)
    {
        if (hierarchy.Version == 1)
        {
            long? v = CgroupIO.ReadInt64(Path.Combine(directory, "memory.limit_in_bytes"));
            return v is null or < 0 or >= V1UnlimitedThreshold ? null : v;
        }
        return CgroupIO.ReadMaxOrInt64(Path.Combine(directory, "memory.max"), out _);
    }

    public static long? ReadUsage(CgroupHierarchy hierarchy, string directory) =>
        CgroupIO.ReadInt64(Path.Combine(directory, hierarchy.Version == 1 ? "memory.usage_in_bytes" : "memory.current"));

    /// <summary>The file to watch for OOM kills: v1 memory.oom_control (oom_kill count), v2 memory.events (oom_kill count).</summary>
    public static string OomEventsFile(CgroupHierarchy hierarchy, string directory) =>
        Path.Combine(directory, hierarchy.Version == 1 ? "memory.oom_control" : "memory.events");

    internal static void Fill(CgroupNode node, CgroupHierarchy hierarchy, string directory)
    {
        if (hierarchy.Version == 1 && !hierarchy.HasController(Name)) return;
        node.MemoryLimit = ReadLimit(hierarchy, directory);
        node.MemoryUsage = ReadUsage(hierarchy, directory);
    }
}
