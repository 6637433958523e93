using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using PodShell.Cgroups;
using PodShell.Linux;
using PodShell.State;

namespace PodShell.Native;

/// <summary>
/// Finds what a pod left on the node from the kernel alone, for pods whose state files are gone or garbage: the mounts
/// under its folder (mountinfo), the processes that name its folder (the shims' --config) or live in its pinned
/// network namespace (pause, containers), and the pod cgroup those processes sit in ("pod&lt;uid&gt;" under the
/// engine's cgroup root). Then kills them, unmounts, and removes the cgroups: the folder can go last.
/// </summary>
internal sealed class PodSweeper(CgroupManager cgroups, string cgroupRootName)
{
    public sealed class Findings
    {
        public HashSet<int> Processes { get; } = new();
        public List<string> Mounts { get; } = new();
        public HashSet<string> Cgroups { get; } = new(StringComparer.Ordinal);
    }

    public Findings Find(string podDirectory, string? knownCgroupPath = null)
    {
        var found = new Findings();
        string prefix = Path.TrimEndingDirectorySeparator(podDirectory) + "/";
        var pinned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in MountInfo.Read().Where(m => m.MountPoint.StartsWith(prefix, StringComparison.Ordinal)))
        {
            found.Mounts.Add(mount.MountPoint);
            if (mount.FileSystemType == "nsfs") pinned.Add(mount.Root.Trim('/'));
        }
        if (!string.IsNullOrEmpty(knownCgroupPath)) found.Cgroups.Add(knownCgroupPath.Trim('/'));
        foreach (var cgroup in CgroupsFromContainerSpecs(podDirectory)) found.Cgroups.Add(cgroup);

        foreach (int pid in AllProcesses())
        {
            if (pid == Environment.ProcessId) continue;
            bool ours = ReadCmdline(pid).Contains(prefix, StringComparison.Ordinal)
                || (pinned.Count > 0 && ReadLink($"/proc/{pid}/ns/net") is { } net && pinned.Contains(net));
            var podCgroups = PodCgroupsOf(pid);
            if (!ours && !podCgroups.Any(found.Cgroups.Contains)) continue;
            found.Processes.Add(pid);
            foreach (var cgroup in podCgroups) found.Cgroups.Add(cgroup);
        }
        foreach (var cgroup in found.Cgroups.ToList())
        {
            if (cgroups.Exists(cgroup)) found.Processes.UnionWith(cgroups.GetProcesses(cgroup));
        }
        found.Processes.Remove(Environment.ProcessId);
        return found;
    }

    /// <summary>SIGKILL every process found (twice over: the cgroups may hold children born meanwhile), unmount, rmdir the cgroups.</summary>
    public void Destroy(Findings found)
    {
        for (int round = 0; round < 3; round++)
        {
            var pids = new HashSet<int>(found.Processes);
            foreach (var cgroup in found.Cgroups)
            {
                if (cgroups.Exists(cgroup)) pids.UnionWith(cgroups.GetProcesses(cgroup));
            }
            pids.Remove(Environment.ProcessId);
            if (pids.Count == 0) break;
            foreach (int pid in pids) Libc.kill(pid, Libc.SIGKILL);
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (pids.Any(IsRunning) && DateTime.UtcNow < deadline) Thread.Sleep(5);
            found.Processes.Clear();
        }
        foreach (var mount in found.Mounts.OrderByDescending(m => m.Length)) Mounts.Unmount(mount);
        foreach (var cgroup in found.Cgroups) cgroups.Remove(cgroup, "");
    }

    /// <summary>The live shim of a container folder, found by the --config path on its command line (its state files unreadable).</summary>
    public static ProcessIdentity FindShim(string containerDirectory)
    {
        string config = Path.TrimEndingDirectorySeparator(containerDirectory) + "/config.json";
        foreach (int pid in AllProcesses())
        {
            string cmdline = ReadCmdline(pid);
            if (cmdline.Contains("shim", StringComparison.Ordinal) && cmdline.Contains(config, StringComparison.Ordinal) &&
                ProcessIdentity.ReadStartTime(pid) is { } started)
                return new ProcessIdentity(pid, started);
        }
        return default;
    }

    /// <summary>The pod-level cgroup ("root/[qos/]pod&lt;uid&gt;") of each hierarchy a process is in, when it is a PodShell pod's.</summary>
    private IEnumerable<string> PodCgroupsOf(int pid)
    {
        string? text;
        try { text = File.ReadAllText($"/proc/{pid}/cgroup"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', line.IndexOf(':') + 1);
            if (colon < 0) continue;
            if (PodCgroupOf(line[(colon + 1)..]) is { } pod) yield return pod;
        }
    }

    internal string? PodCgroupOf(string cgroupPath)
    {
        var segments = cgroupPath.Trim('/').Split('/');
        int root = Array.IndexOf(segments, cgroupRootName.Trim('/').Split('/').Last());
        if (root < 0) return null;
        for (int i = root + 1; i < segments.Length && i <= root + 2; i++)
        {
            if (segments[i].Length > 3 && segments[i].StartsWith("pod", StringComparison.Ordinal))
                return string.Join('/', segments.Take(i + 1));
        }
        return null;
    }

    private IEnumerable<string> CgroupsFromContainerSpecs(string podDirectory)
    {
        var containers = Path.Combine(podDirectory, "containers");
        if (!Directory.Exists(containers)) yield break;
        foreach (var directory in Directory.EnumerateDirectories(containers))
        {
            var spec = StateStore.TryRead<Protocol.ContainerSpec>(Path.Combine(directory, "config.json"), out _);
            foreach (var procs in spec?.CgroupProcs ?? new List<string>())
            {
                // ".../<hierarchy mount>/<relative path>/cgroup.procs": the relative path starts at the cgroup root's name.
                var relative = Path.GetDirectoryName(procs) ?? "";
                int at = relative.IndexOf("/" + cgroupRootName.Trim('/') + "/", StringComparison.Ordinal);
                if (at >= 0 && PodCgroupOf(relative[(at + 1)..]) is { } pod) yield return pod;
            }
        }
    }

    private static IEnumerable<int> AllProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) yield return pid;
        }
    }

    private static string ReadCmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static string? ReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static bool IsRunning(int pid) => ProcFs.ReadStat(pid) is { IsGone: false };
}
