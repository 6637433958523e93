using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using PodShell.Linux;

namespace PodShell.Cgroups;

/// <summary>
/// Creates, configures and removes PodShell's cgroups. A cgroup is named by a path relative to the
/// hierarchy roots ("podshell/burstable/pod&lt;uid&gt;/app") and lives in every hierarchy PodShell uses:
/// on v1 (and hybrid) that of every controller mounted, as runc joins them all (cpu, cpuacct, memory, pids,
/// devices, freezer, blkio, cpuset with cpus and mems copied from the parent, ...); on v2 the unified one.
/// </summary>
public sealed class CgroupManager
{
    private static readonly string[] UsedControllers = { CpuController.Name, "cpuacct", MemoryController.Name, PidsController.Name, FreezerController.Name };

    // Joined only where they are v1 mounts (on v2 the unified hierarchy holds them all; devices is an eBPF program there).
    private static readonly string[] JoinedV1Controllers =
    {
        DevicesController.Name, "freezer", "blkio", CpusetName, "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc",
    };

    private const string CpusetName = "cpuset";

    // Controllers enabled in cgroup.subtree_control of every v2 ancestor (cpuacct is part of cpu there).
    private static readonly string[] V2Controllers = { CpuController.Name, MemoryController.Name, PidsController.Name };

    public CgroupManager(CgroupFileSystem fs)
    {
        FileSystem = fs ?? throw new ArgumentNullException(nameof(fs));
        var used = new List<CgroupHierarchy>();
        foreach (string controller in UsedControllers)
        {
            CgroupHierarchy? h = fs.FindController(controller);
            if (h is not null && !used.Contains(h)) used.Add(h);
        }
        foreach (string controller in JoinedV1Controllers)
        {
            CgroupHierarchy? h = fs.Hierarchies.FirstOrDefault(x => x.Version == 1 && x.HasController(controller));
            if (h is not null && !used.Contains(h)) used.Add(h);
        }
        if (used.Count == 0 && fs.Unified is not null) used.Add(fs.Unified);
        Hierarchies = used;
    }

    public CgroupFileSystem FileSystem { get; }

    /// <summary>The hierarchies a PodShell cgroup lives in (co-mounted cpu,cpuacct counts once).</summary>
    public IReadOnlyList<CgroupHierarchy> Hierarchies { get; }

    /// <summary>How long Remove retries rmdir while the kernel still reports the cgroup busy.</summary>
    public TimeSpan RemoveBusyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// mkdir -p in each hierarchy used; on v2, first enables +cpu +memory +pids (those available) in
    /// cgroup.subtree_control of the root and of every ancestor. On failure, folders it made are removed.
    /// </summary>
    public void Create(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        string[] segments = rel.Split('/');
        var created = new List<string>();
        try
        {
            foreach (CgroupHierarchy h in Hierarchies)
            {
                // Another session removing the last pod of a shared parent (a QoS folder) can rmdir it between our
                // steps: mkdir then fails with ENOENT, and the walk starts again from the top of this hierarchy.
                for (int attempt = 1; !TryCreateIn(h, segments, created); attempt++)
                {
                    if (attempt == CreateAttempts) throw CgroupIO.Error("mkdir", h.GetDirectory(rel), Errno.ENOENT);
                }
            }
        }
        catch
        {
            for (int i = created.Count - 1; i >= 0; i--) CgroupIO.RemoveDirectory(created[i]);
            throw;
        }
    }

    private const int CreateAttempts = 20;

    /// <summary>One walk down the path in one hierarchy; false when a parent vanished under it.</summary>
    private bool TryCreateIn(CgroupHierarchy h, string[] segments, List<string> created)
    {
        string current = h.MountPoint;
        foreach (string segment in segments)
        {
            try
            {
                if (h.Version == 2) EnableSubtreeControllers(h, current);
            }
            catch (IOException e) when (e.HResult is Errno.ENOENT or Errno.ENODEV || !Directory.Exists(current))
            {
                return false;
            }
            current = current + "/" + segment;
            if (Libc.mkdir(current, 0x1ED /* 0755 */) == 0)
            {
                created.Add(current);
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.ENOENT) return false;
                if (errno != Errno.EEXIST) throw CgroupIO.Error("mkdir", current, errno);
            }
            // Also for a folder that exists: another session may have made it and not yet filled it in, and a child
            // copied from an empty parent could never be joined (ENOSPC). Writing the same values twice is harmless.
            try
            {
                if (h.Version == 1 && h.HasController(CpusetName)) InheritCpuset(current);
            }
            catch (IOException e) when (e.HResult is Errno.ENOENT or Errno.ENODEV || !Directory.Exists(current))
            {
                return false; // pruned by another session while we wrote to it (and maybe made anew since)
            }
        }
        return true;
    }

    private void EnableSubtreeControllers(CgroupHierarchy h, string directory)
    {
        var available = CgroupFileSystem.SplitWords(CgroupIO.ReadText(Path.Combine(directory, "cgroup.controllers"))).ToHashSet(StringComparer.Ordinal);
        var enabled = CgroupFileSystem.SplitWords(CgroupIO.ReadText(Path.Combine(directory, "cgroup.subtree_control")))
            .Select(c => c.TrimStart('+')).ToHashSet(StringComparer.Ordinal);
        var wanted = V2Controllers
            .Where(c => available.Contains(c) && !enabled.Contains(c) && FileSystem.FindController(c) == h)
            .Select(c => "+" + c).ToArray();
        if (wanted.Length == 0) return;
        CgroupIO.Write(Path.Combine(directory, "cgroup.subtree_control"), string.Join(" ", wanted));
    }

    /// <summary>A new v1 cpuset starts with no cpus and no mems (nothing could join it): take the parent's, as runc does.</summary>
    private static void InheritCpuset(string directory)
    {
        string parent = Path.GetDirectoryName(directory)!;
        foreach (string file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            string? mine = CgroupIO.ReadText(Path.Combine(directory, file));
            if (!string.IsNullOrWhiteSpace(mine)) continue;
            string? theirs = CgroupIO.ReadText(Path.Combine(parent, file));
            if (!string.IsNullOrWhiteSpace(theirs)) CgroupIO.Write(Path.Combine(directory, file), theirs.Trim());
        }
    }

    /// <summary>
    /// runc's default device policy: devices.deny/devices.allow on a v1 devices hierarchy, the equivalent eBPF program
    /// on a node whose devices controller is cgroup v2 (see DeviceFilterProgram); privileged allows every device.
    /// </summary>
    public void SetDefaultDevicePolicy(string relativePath, bool allowAll)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        CgroupHierarchy? h = FileSystem.FindController(DevicesController.Name);
        if (h is not null && h.Version == 1)
        {
            DevicesController.SetDefaultPolicy(h.GetDirectory(rel), allowAll);
        }
        else if (FileSystem.Mode == CgroupMode.V2 && FileSystem.Unified is { } unified && !allowAll)
        {
            // v2 has no devices files: no program (privileged) is every device allowed.
            DeviceFilterProgram.Attach(unified.GetDirectory(rel), DevicesController.DefaultAllowed);
        }
    }

    /// <summary>The absolute cgroup.procs paths a process writes its pid to, one per hierarchy used.</summary>
    public IReadOnlyList<string> ProcsFiles(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: true);
        return Hierarchies.Select(h => Path.Combine(h.GetDirectory(rel), "cgroup.procs")).ToArray();
    }

    /// <summary>v1 memory.oom_control, v2 memory.events; null without a memory controller.</summary>
    public string? OomEventsFile(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: true);
        CgroupHierarchy? h = FileSystem.FindController(MemoryController.Name);
        return h is null ? null : MemoryController.OomEventsFile(h, h.GetDirectory(rel));
    }

    /// <summary>v1 memory.limit_in_bytes (-1 for none), v2 memory.max ("max" for none).</summary>
    public void SetMemoryLimit(string relativePath, long? bytes)
    {
        var (h, dir) = Controller(MemoryController.Name, relativePath);
        MemoryController.SetLimit(h, dir, bytes);
    }

    /// <summary>
    /// v1 cpu.cfs_period_us, cpu.cfs_quota_us (-1 for none), cpu.shares; v2 cpu.max ("quota period" or
    /// "max period") and cpu.weight from shares (KubeQuantity.WeightFromShares). shares null leaves them.
    /// </summary>
    public void SetCpu(string relativePath, long? quotaMicroseconds, long periodMicroseconds, ulong? shares)
    {
        var (h, dir) = Controller(CpuController.Name, relativePath);
        CpuController.Set(h, dir, quotaMicroseconds, periodMicroseconds, shares);
    }

    /// <summary>pids.max; null or negative for no limit.</summary>
    public void SetPidsLimit(string relativePath, long? max)
    {
        var (h, dir) = Controller(PidsController.Name, relativePath);
        PidsController.SetLimit(h, dir, max);
    }

    /// <summary>v1 memory.usage_in_bytes, v2 memory.current; null when not readable.</summary>
    public long? ReadMemoryUsage(string relativePath)
    {
        var (h, dir) = Controller(MemoryController.Name, relativePath);
        return MemoryController.ReadUsage(h, dir);
    }

    /// <summary>
    /// Moves every process of one cgroup into another, in each hierarchy used: each pid is written to the target's
    /// cgroup.procs, again until the source is empty (processes may fork while they move). A process that exits
    /// meanwhile (ESRCH) is skipped.
    /// </summary>
    public void MoveProcesses(string fromRelativePath, string toRelativePath)
    {
        string from = Normalize(fromRelativePath, allowRoot: false);
        string to = Normalize(toRelativePath, allowRoot: false);
        foreach (CgroupHierarchy h in Hierarchies)
        {
            string source = Path.Combine(h.GetDirectory(from), "cgroup.procs");
            string target = Path.Combine(h.GetDirectory(to), "cgroup.procs");
            for (int round = 0; ; round++)
            {
                int[] pids = CgroupIO.ReadProcs(source);
                if (pids.Length == 0) break;
                if (round == 100) throw new IOException($"Processes keep appearing in {source}: {string.Join(", ", pids)}.");
                foreach (int pid in pids)
                {
                    try
                    {
                        CgroupIO.Write(target, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    catch (IOException e) when (e.HResult == Errno.ESRCH)
                    {
                    }
                }
            }
        }
    }

    /// <summary>
    /// Freezes or thaws the cgroup and what is below it (Suspend-Pod / Resume-Pod), then waits up to
    /// <paramref name="wait"/> for the kernel to say it is done. False when it did not within that time.
    /// </summary>
    public bool SetFrozen(string relativePath, bool frozen, TimeSpan wait)
    {
        var (h, dir) = Freezer(relativePath);
        FreezerController.Set(h, dir, frozen);
        var deadline = DateTime.UtcNow + wait;
        while (FreezerController.IsFrozen(h, dir) != frozen)
        {
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>Whether the cgroup is frozen or being frozen; false without a freezer.</summary>
    public bool IsFrozen(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        CgroupHierarchy? h = FreezerHierarchy();
        return h is not null && FreezerController.IsFrozen(h, h.GetDirectory(rel), asked: true) == true;
    }

    private CgroupHierarchy? FreezerHierarchy() =>
        FileSystem.Hierarchies.FirstOrDefault(x => x.Version == 1 && x.HasController(FreezerController.Name))
        ?? (FileSystem.Mode == CgroupMode.V2 ? FileSystem.Unified : null);

    private (CgroupHierarchy, string) Freezer(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        CgroupHierarchy h = FreezerHierarchy()
            ?? throw new PodShellException($"There is no freezer under {FileSystem.Root} ({FileSystem.Mode}): no v1 freezer hierarchy and no cgroup v2.");
        return (h, h.GetDirectory(rel));
    }

    /// <summary>Every pid in the cgroup, in any hierarchy used, sorted.</summary>
    public IReadOnlyList<int> GetProcesses(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: true);
        return Hierarchies.SelectMany(h => CgroupIO.ReadProcs(Path.Combine(h.GetDirectory(rel), "cgroup.procs")))
            .Distinct().OrderBy(p => p).ToArray();
    }

    /// <summary>True when the cgroup's folder exists in at least one hierarchy used.</summary>
    public bool Exists(string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: true);
        return Hierarchies.Any(h => Directory.Exists(h.GetDirectory(rel)));
    }

    /// <summary>
    /// rmdir the cgroup and its children, deepest first, in every hierarchy; idempotent. Retries while
    /// the kernel says EBUSY (processes just killed are still exiting), up to RemoveBusyTimeout.
    /// With <paramref name="removeEmptyParentsUpTo"/> (a path that is an ancestor of relativePath, "" for
    /// the hierarchy root) the parents left empty are removed too, up to but excluding that path:
    /// Remove("podshell/burstable/pod1", "") takes burstable and podshell along when pod1 was the last.
    /// </summary>
    public void Remove(string relativePath, string? removeEmptyParentsUpTo = null)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        string? stop = null;
        if (removeEmptyParentsUpTo is not null)
        {
            stop = Normalize(removeEmptyParentsUpTo, allowRoot: true);
            if (stop.Length > 0 && !rel.StartsWith(stop + "/", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{removeEmptyParentsUpTo}' is not an ancestor of the cgroup '{relativePath}'.", nameof(removeEmptyParentsUpTo));
            }
        }

        var errors = new List<Exception>();
        foreach (CgroupHierarchy h in Hierarchies)
        {
            try
            {
                RemoveTree(h.GetDirectory(rel));
                if (stop is not null) RemoveEmptyParents(h, rel, stop);
            }
            catch (IOException e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count == 1) throw errors[0];
        if (errors.Count > 1) throw new AggregateException($"Removing the cgroup '{rel}' failed in {errors.Count} hierarchies.", errors);
    }

    private void RemoveTree(string directory)
    {
        List<string> dirs;
        try
        {
            // Deepest first: sub-cgroups (a container's leaf, kubelet-style children) before their parent.
            dirs = Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories)
                .OrderByDescending(d => d.Count(c => c == '/')).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        dirs.Add(directory);
        foreach (string dir in dirs) RemoveOne(dir);
    }

    private void RemoveOne(string directory)
    {
        DateTime deadline = DateTime.UtcNow + RemoveBusyTimeout;
        int delay = 1;
        while (true)
        {
            int errno = CgroupIO.RemoveDirectory(directory);
            if (errno == 0 || errno == Errno.ENOENT) return;
            if (errno != Errno.EBUSY || DateTime.UtcNow >= deadline)
            {
                IOException error = CgroupIO.Error("rmdir", directory, errno);
                if (errno == Errno.EBUSY)
                {
                    int[] left = CgroupIO.ReadProcs(Path.Combine(directory, "cgroup.procs"));
                    if (left.Length > 0)
                    {
                        error = new IOException($"{error.Message} Processes still in it: {string.Join(", ", left)}.", error);
                    }
                }
                throw error;
            }
            // A killed process leaves its cgroup a moment after it dies: retry soon, then less often.
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 20);
        }
    }

    // Parents that still have children or processes fail with EBUSY/ENOTEMPTY: that is where it stops.
    private static void RemoveEmptyParents(CgroupHierarchy h, string rel, string stop)
    {
        string current = rel;
        while (true)
        {
            int slash = current.LastIndexOf('/');
            if (slash < 0) return;
            current = current.Substring(0, slash);
            if (current.Length <= stop.Length) return;
            string dir = h.GetDirectory(current);
            try
            {
                if (Directory.EnumerateDirectories(dir).Any()) return;
            }
            catch (DirectoryNotFoundException)
            {
                continue; // another session removed it first
            }
            int errno = CgroupIO.RemoveDirectory(dir);
            if (errno is 0 or Errno.ENOENT) continue;
            if (errno is Errno.EBUSY or Errno.ENOTEMPTY) return;
            throw CgroupIO.Error("rmdir", dir, errno);
        }
    }

    private (CgroupHierarchy, string) Controller(string controller, string relativePath)
    {
        string rel = Normalize(relativePath, allowRoot: false);
        CgroupHierarchy h = FileSystem.FindController(controller)
            ?? throw new PodShellException($"The {controller} cgroup controller is not available under {FileSystem.Root} ({FileSystem.Mode}).");
        return (h, h.GetDirectory(rel));
    }

    private static string Normalize(string relativePath, bool allowRoot)
    {
        string rel = CgroupHierarchy.NormalizeRelative(relativePath);
        if (!allowRoot && rel.Length == 0)
        {
            throw new ArgumentException("PodShell does not change the root cgroup: give a path below it, such as 'podshell/pod1'.", nameof(relativePath));
        }
        return rel;
    }
}
