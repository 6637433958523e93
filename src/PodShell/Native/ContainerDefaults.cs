using System.Collections.Generic;

namespace PodShell.Native;

/// <summary>The runtime defaults containerd gives every container (its oci.WithDefaultSpec); capabilities: Security/ContainerCapabilities.</summary>
internal static class ContainerDefaults
{
    public static readonly IReadOnlyList<string> MaskedPaths = new[]
    {
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
        "/sys/firmware", "/sys/devices/virtual/powercap",
    };

    public static readonly IReadOnlyList<string> ReadonlyPaths = new[]
    {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    };
}
