using System.Collections.Generic;
using System.IO;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>
/// Turns the desired state of a cgroup into the files and values runc would write: on v1 cpu.shares,
/// cpu.cfs_period_us, cpu.cfs_quota_us, pids.max, memory.limit_in_bytes; on v2 cpu.weight, cpu.max, pids.max,
/// memory.max, then the raw unified files. Memory comes last: it is the write the kernel may refuse (it cannot
/// reclaim below usage), so the cheaper writes before it are the ones rolled back.
/// </summary>
public static class CgroupResourceFiles
{
    public static List<CgroupSetting> Plan(CgroupManager cgroups, string relativePath, CgroupResourceConfig config, string target, int depth)
    {
        var list = new List<CgroupSetting>();
        if (config.WriteNothing) return list;
        string rel = CgroupHierarchy.NormalizeRelative(relativePath);
        var fs = cgroups.FileSystem;

        void Add(CgroupHierarchy h, string controller, string file, string value, ValueSource source)
        {
            string path = Path.Combine(h.GetDirectory(rel), file);
            string? current = CgroupIO.ReadText(path);
            list.Add(new CgroupSetting
            {
                Target = target, Cgroup = "/" + rel, Controller = controller, Name = file, File = path, Value = value,
                Current = current, Quantity = source.Quantity, Formula = source.Formula, Depth = depth,
                InEffect = current is not null && SameValue(file, current, value),
            });
        }

        var cpu = fs.FindController(CpuController.Name);
        if (cpu is not null)
        {
            if (cpu.Version == 1)
            {
                Add(cpu, "cpu", "cpu.shares", CgroupIO.Format(config.CpuShares), config.SharesSource);
                Add(cpu, "cpu", "cpu.cfs_period_us", CgroupIO.Format(config.CpuPeriod), config.QuotaSource);
                Add(cpu, "cpu", "cpu.cfs_quota_us", config.CpuQuota is { } q ? CgroupIO.Format(q) : "-1", config.QuotaSource);
            }
            else
            {
                bool runc = config.WeightFormula == CpuWeightFormula.RuncQuadratic;
                if (config.CpuWeight is { } raw)
                {
                    Add(cpu, "cpu", "cpu.weight", CgroupIO.Format(raw), new ValueSource($"cpu.weight {raw}", "set with Set-PodCgroupLimit -CpuWeight"));
                }
                else
                {
                    ulong weight = runc ? KubeQuantity.WeightFromSharesRunc(config.CpuShares) : KubeQuantity.WeightFromShares(config.CpuShares);
                    Add(cpu, "cpu", "cpu.weight", CgroupIO.Format(weight),
                        new ValueSource($"{config.SharesSource.Quantity} -> shares {config.CpuShares}", config.SharesSource.Formula + "; then " + KubeQuantity.WeightFormula(runc)));
                }
                string quota = config.CpuQuota is { } q ? CgroupIO.Format(q) : "max";
                Add(cpu, "cpu", "cpu.max", $"{quota} {CgroupIO.Format(config.CpuPeriod)}", config.QuotaSource);
            }
        }

        var pids = fs.FindController(PidsController.Name);
        if (pids is not null)
        {
            Add(pids, "pids", "pids.max", config.PidsLimit is { } p ? CgroupIO.Format(p) : "max", config.PidsSource);
        }

        var memory = fs.FindController(MemoryController.Name);
        if (memory is not null)
        {
            string none = memory.Version == 1 ? "-1" : "max";
            Add(memory, "memory", memory.Version == 1 ? "memory.limit_in_bytes" : "memory.max",
                config.MemoryLimit is { } m ? CgroupIO.Format(m) : none, config.MemorySource);
        }

        if (config.Unified.Count > 0)
        {
            var unified = fs.Unified;
            if (unified is null || fs.Mode != CgroupMode.V2)
            {
                throw new System.NotSupportedException(
                    $"-Unified sets cgroup v2 files ({string.Join(", ", config.Unified.Keys)}), but this node's cgroups are {fs.Mode}: use -Cpu, -Memory, -PidsLimit or -CpuShares.");
            }
            foreach (var (file, value) in config.Unified)
            {
                string controller = file.Contains('.') ? file.Substring(0, file.IndexOf('.')) : file;
                Add(unified, controller, file, value, new ValueSource($"{file} {value}", "set with Set-PodCgroupLimit -Unified"));
            }
        }
        return list;
    }

    /// <summary>Whether the file already holds the value: "-1", "max" and v1's page-aligned maximum all mean unlimited.</summary>
    internal static bool SameValue(string file, string current, string value)
    {
        current = current.Trim();
        value = value.Trim();
        if (current == value) return true;
        return Limit(file, current) is { } a && Limit(file, value) is { } b && a == b;
    }

    /// <summary>
    /// The value as a comparable bandwidth or size, double.PositiveInfinity for unlimited; null when the file's
    /// values do not constrain children (shares, weights, periods).
    /// </summary>
    internal static double? Limit(string file, string text)
    {
        text = text.Trim();
        switch (file)
        {
            case "cpu.cfs_quota_us":
                return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long q)
                    ? q < 0 ? double.PositiveInfinity : q : null;
            case "cpu.max":
                var parsed = CpuController.ParseCpuMax(text);
                if (parsed is null) return null;
                return parsed.Value.Quota is { } quota ? (double)quota / parsed.Value.Period * CpuController.DefaultPeriod : double.PositiveInfinity;
            case "memory.limit_in_bytes":
            case "memory.max":
            case "memory.high":
            case "memory.memsw.limit_in_bytes":
            case "memory.swap.max":
            case "pids.max":
                if (text == "max") return double.PositiveInfinity;
                if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long v)) return null;
                return v < 0 || v >= MemoryController.V1UnlimitedThreshold ? double.PositiveInfinity : v;
            default:
                return null;
        }
    }
}
