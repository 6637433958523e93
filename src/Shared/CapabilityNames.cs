// Linked into PodShell.dll and podshell-init: both must agree on which bit each capability is.
namespace PodShell.Protocol;

/// <summary>Linux capabilities by bit number (linux/capability.h), in Kubernetes' spelling (no CAP_ prefix).</summary>
internal static class CapabilityNames
{
    public static readonly string[] ByBit =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    /// <summary>The bit of a name given as NET_ADMIN, net_admin or CAP_NET_ADMIN; -1 when Linux has no such capability.</summary>
    public static int Bit(string name)
    {
        string upper = name.Trim().ToUpperInvariant();
        if (upper.StartsWith("CAP_", System.StringComparison.Ordinal)) upper = upper[4..];
        return System.Array.IndexOf(ByBit, upper);
    }
}
