using System.Collections.Generic;

namespace PodShell.Native;

/// <summary>The runtime defaults containerd gives every container (its oci.WithDefaultSpec).</summary>
internal static class ContainerDefaults
{
    public static readonly IReadOnlyList<string> Capabilities = new[]
    {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    };

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
