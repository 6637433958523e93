using System.IO;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>The pids controller: pids.max and pids.current, the same files on v1 and v2.</summary>
public static class PidsController
{
    public const string Name = "pids";

    /// <summary>Sets pids.max; null (or a negative value, as the CRI uses -1) removes the limit ("max").</summary>
    public static void SetLimit(CgroupHierarchy hierarchy, string directory, long? max)
    {
        CgroupIO.Write(Path.Combine(directory, "pids.max"), max is null or < 0 ? "max" : CgroupIO.Format(max.Value));
    }

    internal static void Fill(CgroupNode node, CgroupHierarchy hierarchy, string directory)
    {
        if (hierarchy.Version == 1 && !hierarchy.HasController(Name)) return;
        node.PidsLimit = CgroupIO.ReadMaxOrInt64(Path.Combine(directory, "pids.max"), out _);
        node.PidsCurrent = CgroupIO.ReadInt64(Path.Combine(directory, "pids.current"));
    }
}
