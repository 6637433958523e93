using System;
using System.Globalization;
using System.IO;

namespace PodShell.Cgroups;

/// <summary>One reading of a cgroup's counters (the cpu, memory and pids files cadvisor reads).</summary>
public sealed class CgroupUsage
{
    public ulong? CpuUsageNanoseconds { get; init; }
    public long? MemoryUsage { get; init; }
    public long? InactiveFile { get; init; }
    public long? MemoryLimit { get; init; }
    public long? Pids { get; init; }
    public long? PidsLimit { get; init; }
    /// <summary>Stopwatch ticks when read.</summary>
    public long Ticks { get; init; }
    public bool Exists { get; init; }

    /// <summary>usage - inactive_file, as kubelet's working set (never below 0).</summary>
    public long? WorkingSet => MemoryUsage is { } u ? Math.Max(0, u - (InactiveFile is { } i && i < u ? i : 0)) : null;

    /// <summary>
    /// Reads v1 cpuacct.usage, memory.usage_in_bytes, memory.stat total_inactive_file, pids.current; or v2 cpu.stat
    /// usage_usec, memory.current, memory.stat inactive_file, pids.current.
    /// </summary>
    public static CgroupUsage Read(CgroupFileSystem fs, string relativePath)
    {
        string rel = CgroupHierarchy.NormalizeRelative(relativePath);
        ulong? cpu = null;
        long? usage = null, inactive = null, limit = null, pids = null, pidsLimit = null;
        bool exists = false;

        var cpuacct = fs.FindController("cpuacct") ?? fs.FindController(CpuController.Name);
        if (cpuacct is not null)
        {
            string dir = cpuacct.GetDirectory(rel);
            exists |= Directory.Exists(dir);
            if (cpuacct.Version == 1) cpu = CgroupIO.ReadUInt64(Path.Combine(dir, "cpuacct.usage"));
            else if (StatValue(Path.Combine(dir, "cpu.stat"), "usage_usec") is { } usec) cpu = (ulong)usec * 1000;
        }
        var memory = fs.FindController(MemoryController.Name);
        if (memory is not null)
        {
            string dir = memory.GetDirectory(rel);
            exists |= Directory.Exists(dir);
            usage = MemoryController.ReadUsage(memory, dir);
            limit = MemoryController.ReadLimit(memory, dir);
            inactive = StatValue(Path.Combine(dir, "memory.stat"), memory.Version == 1 ? "total_inactive_file" : "inactive_file");
        }
        var pidsH = fs.FindController(PidsController.Name);
        if (pidsH is not null)
        {
            string dir = pidsH.GetDirectory(rel);
            exists |= Directory.Exists(dir);
            pids = CgroupIO.ReadInt64(Path.Combine(dir, "pids.current"));
            pidsLimit = CgroupIO.ReadMaxOrInt64(Path.Combine(dir, "pids.max"), out _);
        }
        return new CgroupUsage
        {
            CpuUsageNanoseconds = cpu, MemoryUsage = usage, InactiveFile = inactive, MemoryLimit = limit,
            Pids = pids, PidsLimit = pidsLimit, Ticks = System.Diagnostics.Stopwatch.GetTimestamp(), Exists = exists,
        };
    }

    /// <summary>A "key value" line of a flat keyed file (memory.stat, cpu.stat).</summary>
    internal static long? StatValue(string path, string key)
    {
        string? text = CgroupIO.ReadText(path);
        if (text is null) return null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > key.Length && line.StartsWith(key, StringComparison.Ordinal) && line[key.Length] == ' '
                && long.TryParse(line.AsSpan(key.Length + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            {
                return v;
            }
        }
        return null;
    }
}
