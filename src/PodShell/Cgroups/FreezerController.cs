using System;
using System.IO;

namespace PodShell.Cgroups;

/// <summary>
/// Freezing a cgroup (podman pause): v1 freezer.state FROZEN/THAWED in the freezer hierarchy; v2
/// cgroup.freeze 1/0, which every non-root cgroup has, with "frozen 1" in cgroup.events once done.
/// </summary>
public static class FreezerController
{
    public const string Name = "freezer";

    public static void Set(CgroupHierarchy hierarchy, string directory, bool frozen)
    {
        if (hierarchy.Version == 1) CgroupIO.Write(Path.Combine(directory, "freezer.state"), frozen ? "FROZEN" : "THAWED");
        else CgroupIO.Write(Path.Combine(directory, "cgroup.freeze"), frozen ? "1" : "0");
    }

    /// <summary>
    /// True once every task is frozen (v1 FROZEN, v2 "frozen 1"), false when thawed; v1 FREEZING (on its
    /// way) counts as frozen when <paramref name="asked"/> is enough. Null when the cgroup has no freezer files.
    /// </summary>
    public static bool? IsFrozen(CgroupHierarchy hierarchy, string directory, bool asked = false)
    {
        if (hierarchy.Version == 1)
        {
            var state = CgroupIO.ReadText(Path.Combine(directory, "freezer.state"))?.Trim();
            return state switch
            {
                null => null,
                "FROZEN" => true,
                "FREEZING" => asked,
                _ => false,
            };
        }
        var events = CgroupIO.ReadText(Path.Combine(directory, "cgroup.events"));
        if (events is not null)
        {
            foreach (var line in events.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("frozen ", StringComparison.Ordinal)) return line.EndsWith('1') || (asked && IsAsked(directory));
            }
        }
        var freeze = CgroupIO.ReadText(Path.Combine(directory, "cgroup.freeze"));
        return freeze is null ? null : asked && freeze.Trim() == "1";
    }

    private static bool IsAsked(string directory) => CgroupIO.ReadText(Path.Combine(directory, "cgroup.freeze"))?.Trim() == "1";
}
