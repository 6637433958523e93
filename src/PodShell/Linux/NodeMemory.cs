using System;
using System.Globalization;
using System.IO;

namespace PodShell.Linux;

/// <summary>MemTotal of /proc/meminfo in bytes: cadvisor's MemoryCapacity, kubelet's nodeMemory for oom_score_adj.</summary>
internal static class NodeMemory
{
    private static readonly Lazy<long> s_total = new(Read);

    public static long Total => s_total.Value;

    private static long Read()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var kb = line.Substring(9).Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new IOException("/proc/meminfo has no MemTotal.");
    }
}
