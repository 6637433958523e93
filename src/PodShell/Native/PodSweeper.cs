using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
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

        // Every process is looked at by its command line (one read each, no allocation); the processes of the pod's
        // cgroups are read from the cgroups themselves, so only the pod's processes have their cgroup file read.
        byte[] prefixBytes = Encoding.UTF8.GetBytes(prefix);
        foreach (int pid in ProcFs.ListProcessIds())
        {
            if (pid == Environment.ProcessId) continue;
            bool ours = ProcFs.CommandLineContains(pid, prefixBytes)
                || (pinned.Count > 0 && ReadLink($"/proc/{pid}/ns/net") is { } net && pinned.Contains(net));
            if (ours) found.Processes.Add(pid);
        }
        // A process of the pod may sit in a pod cgroup of another path in some hierarchy (a QoS move cut short):
        // those cgroups join, and their processes too, until nothing new turns up (Destroy kills again what forks later).
        var read = new HashSet<int> { Environment.ProcessId };
        var pending = new Queue<int>(found.Processes);
        for (int round = 0; round < 10; round++)
        {
            while (pending.TryDequeue(out int pid))
            {
                if (!read.Add(pid)) continue;
                foreach (var cgroup in PodCgroupsOf(pid)) found.Cgroups.Add(cgroup);
            }
            foreach (var cgroup in found.Cgroups.ToList())
            {
                if (!cgroups.Exists(cgroup)) continue;
                foreach (int pid in cgroups.GetProcesses(cgroup))
                {
                    if (found.Processes.Add(pid) || !read.Contains(pid)) pending.Enqueue(pid);
                }
            }
            if (pending.Count == 0) break;
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
        byte[] config = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(containerDirectory) + "/config.json");
        foreach (int pid in ProcFs.ListProcessIds())
        {
            if (ProcFs.CommandLineContains(pid, "shim"u8, config) && ProcessIdentity.ReadStartTime(pid) is { } started)
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
            foreach (var procs in CgroupProcsOf(Path.Combine(directory, "config.json")))
            {
                // ".../<hierarchy mount>/<relative path>/cgroup.procs": the relative path starts at the cgroup root's name.
                var relative = Path.GetDirectoryName(procs) ?? "";
                int at = relative.IndexOf("/" + cgroupRootName.Trim('/') + "/", StringComparison.Ordinal);
                if (at >= 0 && PodCgroupOf(relative[(at + 1)..]) is { } pod) yield return pod;
            }
        }
    }

    /// <summary>The cgroupProcs of a container's config.json, read without binding the rest (its seccomp profile is most of the file); empty when unreadable.</summary>
    internal static List<string> CgroupProcsOf(string configPath)
    {
        var procs = new List<string>();
        byte[] bytes;
        try { bytes = File.ReadAllBytes(configPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return procs; }
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return procs;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool wanted = string.Equals(reader.GetString(), "cgroupProcs", StringComparison.OrdinalIgnoreCase);
                reader.Read();
                if (!wanted)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.String) procs.Add(reader.GetString()!);
                }
                break;
            }
        }
        catch (JsonException) { }
        return procs;
    }

    private static string? ReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static bool IsRunning(int pid) => ProcFs.ReadStat(pid) is { IsGone: false };
}
