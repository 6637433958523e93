using System;
using System.Collections.Generic;
using System.Globalization;

namespace PodShell.Init.Syscalls;

/// <summary>
/// Closes every file descriptor the caller left open above stderr (CVE-2024-21626 class: an inherited fd of the node
/// reaches a container as /proc/self/fd/N), keeping only the pipes named on the command line (--sync-fd, --report-fd,
/// --ready-fd). Runs first in every role, before any fd of podshell-init's own is opened.
/// </summary>
internal static unsafe class InheritedFds
{
    private static readonly string[] FdOptions = ["--sync-fd", "--report-fd", "--ready-fd"];

    public static void CloseAll(string[] args)
    {
        var keep = new SortedSet<uint>();
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--") break;
            if (Array.IndexOf(FdOptions, args[i]) >= 0 &&
                uint.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out uint fd) && fd > 2)
                keep.Add(fd);
        }
        uint first = 3;
        foreach (uint fd in keep)
        {
            if (fd > first) CloseRange(first, fd - 1);
            first = fd + 1;
        }
        CloseRange(first, uint.MaxValue);
    }

    private static void CloseRange(uint first, uint last)
    {
        if (Libc.close_range(first, last, 0) == 0) return;
        int errno = Check.Errno;
        if (errno != Flags.ENOSYS && errno != Flags.EINVAL)
            throw new SyscallException("close_range", errno, $"{first}..{last}");
        // Kernels before 5.9: close what /proc lists, or every number up to the fd limit when /proc is not there.
        foreach (int fd in OpenFds(first, last)) Libc.close(fd);
    }

    private static IEnumerable<int> OpenFds(uint first, uint last)
    {
        var found = new List<int>();
        int dir = Libc.open("/proc/self/fd", Flags.O_RDONLY | Flags.O_DIRECTORY | Flags.O_CLOEXEC, 0);
        if (dir >= 0)
        {
            byte* buffer = stackalloc byte[4096];
            nint n;
            while ((n = Libc.syscall3(Flags.SysGetdents64, dir, (nint)buffer, 4096)) > 0)
            {
                for (nint offset = 0; offset < n;)
                {
                    ushort length = *(ushort*)(buffer + offset + 16);
                    string name = new string((sbyte*)(buffer + offset + 19));
                    if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && fd != dir &&
                        fd >= first && (uint)fd <= last)
                        found.Add(fd);
                    offset += length;
                }
            }
            Libc.close(dir);
            return found;
        }
        ulong* limit = stackalloc ulong[2];
        ulong max = Libc.getrlimit(Flags.RLIMIT_NOFILE, limit) == 0 ? Math.Min(limit[0], 1UL << 20) : 1024;
        for (ulong fd = first; fd < max && fd <= last; fd++) found.Add((int)fd);
        return found;
    }
}
