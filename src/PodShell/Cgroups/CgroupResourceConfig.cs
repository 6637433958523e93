using System.Collections.Generic;

namespace PodShell.Cgroups;

/// <summary>Which shares-to-weight conversion fills cgroup v2 cpu.weight.</summary>
public enum CpuWeightFormula
{
    /// <summary>kubelet's CpuSharesToCpuWeight, 1 + (shares-2)*9999/262142: what kubelet writes on pod cgroups.</summary>
    KubeletLinear,
    /// <summary>runc's and crun's current quadratic in log2(shares): what the runtime writes on container cgroups.</summary>
    RuncQuadratic,
}

/// <summary>Where a value came from: the quantity and the rule that turned it into the value.</summary>
public sealed record ValueSource(string Quantity, string Formula);

/// <summary>
/// The whole desired state of one cgroup PodShell owns (kubelet's ResourceConfig, every value given):
/// null quota, memory or pids means "no limit" (v1 -1, v2 max), never "leave as it is".
/// </summary>
public sealed class CgroupResourceConfig
{
    public ulong CpuShares { get; set; } = 2;
    /// <summary>A raw cgroup v2 weight that replaces the one converted from CpuShares.</summary>
    public ulong? CpuWeight { get; set; }
    public CpuWeightFormula WeightFormula { get; set; }
    public long? CpuQuota { get; set; }
    public long CpuPeriod { get; set; } = KubeQuantity.QuotaPeriod;
    public long? MemoryLimit { get; set; }
    public long? PidsLimit { get; set; }
    /// <summary>Raw cgroup v2 files and values (-Unified), written as given after the others.</summary>
    public IReadOnlyDictionary<string, string> Unified { get; set; } = new Dictionary<string, string>();

    public ValueSource SharesSource { get; set; } = new("", "");
    public ValueSource QuotaSource { get; set; } = new("", "");
    public ValueSource MemorySource { get; set; } = new("", "");
    public ValueSource PidsSource { get; set; } = new("", "");

    /// <summary>Leaves a cgroup at the kernel's defaults (the pause leaf).</summary>
    public bool WriteNothing { get; set; }
}
