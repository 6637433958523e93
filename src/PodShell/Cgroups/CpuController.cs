using System;
using System.Globalization;
using System.IO;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>The cpu controller: v1 cpu.cfs_quota_us / cfs_period_us / shares, v2 cpu.max / cpu.weight.</summary>
public static class CpuController
{
    public const string Name = "cpu";
    public const long DefaultPeriod = 100000;

    /// <summary>
    /// Writes the CFS bandwidth and the relative weight. quota null = no limit (v1 -1, v2 "max");
    /// shares null = leave the weight alone; on v2 shares become cpu.weight (KubeQuantity.WeightFromShares).
    /// </summary>
    public static void Set(CgroupHierarchy hierarchy, string directory, long? quotaMicroseconds, long periodMicroseconds, ulong? shares)
    {
        // The kernel's bounds (kernel/sched/core.c): period 1ms..1s, quota at least 1ms.
        if (periodMicroseconds is < 1000 or > 1000000)
        {
            throw new ArgumentOutOfRangeException(nameof(periodMicroseconds), periodMicroseconds, "The CFS period must be between 1000 and 1000000 microseconds.");
        }
        if (quotaMicroseconds is < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(quotaMicroseconds), quotaMicroseconds, "The CFS quota must be at least 1000 microseconds (or null for no limit).");
        }

        if (hierarchy.Version == 1)
        {
            // Period first, as runc does, so a quota is never checked against a stale period.
            CgroupIO.Write(Path.Combine(directory, "cpu.cfs_period_us"), CgroupIO.Format(periodMicroseconds));
            CgroupIO.Write(Path.Combine(directory, "cpu.cfs_quota_us"), quotaMicroseconds is null ? "-1" : CgroupIO.Format(quotaMicroseconds.Value));
            if (shares is not null)
            {
                CgroupIO.Write(Path.Combine(directory, "cpu.shares"), CgroupIO.Format(shares.Value));
            }
        }
        else
        {
            string quota = quotaMicroseconds is null ? "max" : CgroupIO.Format(quotaMicroseconds.Value);
            CgroupIO.Write(Path.Combine(directory, "cpu.max"), $"{quota} {CgroupIO.Format(periodMicroseconds)}");
            if (shares is not null)
            {
                ulong weight = KubeQuantity.WeightFromShares(shares.Value);
                if (weight > 0) CgroupIO.Write(Path.Combine(directory, "cpu.weight"), CgroupIO.Format(weight));
            }
        }
    }

    /// <summary>Parses v2 cpu.max ("max 100000", "50000 100000", or "max" alone, period then defaults).</summary>
    public static (long? Quota, long Period)? ParseCpuMax(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long? quota = null;
        if (parts[0] != "max")
        {
            if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long q)) return null;
            quota = q;
        }
        long period = DefaultPeriod;
        if (parts.Length > 1 && !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out period)) return null;
        return (quota, period);
    }

    internal static void Fill(CgroupNode node, CgroupHierarchy hierarchy, string directory)
    {
        if (hierarchy.Version == 1)
        {
            if (!hierarchy.HasController(Name)) return;
            long? quota = CgroupIO.ReadInt64(Path.Combine(directory, "cpu.cfs_quota_us"));
            node.CpuQuota = quota is null or < 0 ? null : quota;
            node.CpuPeriod = CgroupIO.ReadInt64(Path.Combine(directory, "cpu.cfs_period_us"));
            node.CpuShares = CgroupIO.ReadUInt64(Path.Combine(directory, "cpu.shares"));
        }
        else
        {
            var max = ParseCpuMax(CgroupIO.ReadText(Path.Combine(directory, "cpu.max")));
            if (max is not null)
            {
                node.CpuQuota = max.Value.Quota;
                node.CpuPeriod = max.Value.Period;
            }
            node.CpuWeight = CgroupIO.ReadUInt64(Path.Combine(directory, "cpu.weight"));
        }
    }
}
