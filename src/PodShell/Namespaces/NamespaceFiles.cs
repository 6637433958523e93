using System;
using PodShell.Model;

namespace PodShell.Namespaces;

/// <summary>Names of the files under /proc/&lt;pid&gt;/ns, as NUL-terminated bytes for the syscalls.</summary>
internal static class NamespaceFiles
{
    internal const int TypeCount = 8;

    internal static string Name(NamespaceType type) => type switch
    {
        NamespaceType.Net => "net",
        NamespaceType.Ipc => "ipc",
        NamespaceType.Uts => "uts",
        NamespaceType.Pid => "pid",
        NamespaceType.Mnt => "mnt",
        NamespaceType.Cgroup => "cgroup",
        NamespaceType.User => "user",
        NamespaceType.Time => "time",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>"ns/&lt;name&gt;\0", to append to "/proc/&lt;pid&gt;/".</summary>
    internal static ReadOnlySpan<byte> RelativePath(NamespaceType type) => type switch
    {
        NamespaceType.Net => "ns/net\0"u8,
        NamespaceType.Ipc => "ns/ipc\0"u8,
        NamespaceType.Uts => "ns/uts\0"u8,
        NamespaceType.Pid => "ns/pid\0"u8,
        NamespaceType.Mnt => "ns/mnt\0"u8,
        NamespaceType.Cgroup => "ns/cgroup\0"u8,
        NamespaceType.User => "ns/user\0"u8,
        NamespaceType.Time => "ns/time\0"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>"ns/pid_for_children\0" or "ns/time_for_children\0"; empty for the other types.</summary>
    internal static ReadOnlySpan<byte> ForChildrenRelativePath(NamespaceType type) => type switch
    {
        NamespaceType.Pid => "ns/pid_for_children\0"u8,
        NamespaceType.Time => "ns/time_for_children\0"u8,
        _ => ReadOnlySpan<byte>.Empty,
    };
}
