using System;
using System.IO;
using System.Linq;
using System.Threading;
using PodShell.Cgroups;

namespace PodShell.Docker.Engine;

/// <summary>
/// runc (Docker's cgroupfs driver) makes a container's --cgroup-parent in every hierarchy, not only in the
/// memory, cpu and pids ones PodShell sizes: a removed pod's folders go from all of them, with the parents
/// it leaves empty, up to and including PodShell's root when nothing else is under it.
/// </summary>
internal static class PodCgroupCleanup
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);

    public static void RemoveEverywhere(CgroupFileSystem fs, string podPath)
    {
        var relative = podPath.Trim('/');
        if (relative.Length == 0) return;
        var hierarchies = fs.Hierarchies.Concat(fs.Unified is null ? Array.Empty<CgroupHierarchy>() : new[] { fs.Unified }).Distinct();
        foreach (var hierarchy in hierarchies)
        {
            var directory = hierarchy.GetDirectory(relative);
            if (Directory.Exists(directory))
            {
                var tree = Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories)
                    .OrderByDescending(d => d.Count(c => c == '/')).Append(directory).ToList();
                foreach (var dir in tree) RemoveOne(dir);
            }
            for (var parent = Path.GetDirectoryName(relative); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                var folder = hierarchy.GetDirectory(parent);
                if (!Directory.Exists(folder)) continue;
                if (Directory.EnumerateDirectories(folder).Any()) break;
                try
                {
                    Directory.Delete(folder);
                }
                catch (IOException)
                {
                    // Someone else's pod arrived meanwhile: the parent stays.
                    break;
                }
            }
        }
    }

    private static void RemoveOne(string directory)
    {
        var deadline = DateTime.UtcNow + BusyTimeout;
        var delay = 1;
        while (true)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // EBUSY: a process of it is still exiting.
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 50);
            }
        }
    }
}
