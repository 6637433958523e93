using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PodShell.Linux;

/// <summary>
/// Allocation-free access to /proc: paths are built into caller-supplied byte buffers and
/// read with readlink(2) and getdents64(2), so that scanning every process stays cheap.
/// </summary>
internal static unsafe class ProcFs
{
    /// <summary>Enough for "/proc/&lt;pid&gt;/ns/time_for_children\0".</summary>
    internal const int PathCapacity = 64;

    /// <summary>Enough for "cgroup:[&lt;20 digits&gt;]".</summary>
    internal const int LinkCapacity = 64;

    /// <summary>Writes "/proc/&lt;pid&gt;/" and returns its length.</summary>
    internal static int WriteProcessDirectory(Span<byte> destination, int pid)
    {
        "/proc/"u8.CopyTo(destination);
        int length = 6 + WriteDecimal(destination[6..], (uint)pid);
        destination[length++] = (byte)'/';
        return length;
    }

    /// <summary>
    /// readlink(2) of the NUL-terminated path and the inode in "type:[inode]".
    /// Returns 0, or the errno (EINVAL when the link is not an nsfs name).
    /// </summary>
    internal static int ReadNamespaceLink(ReadOnlySpan<byte> path, Span<byte> linkBuffer, out ulong inode)
    {
        nint count;
        fixed (byte* p = path)
        fixed (byte* b = linkBuffer)
        {
            count = Libc.readlink(p, b, linkBuffer.Length);
        }
        if (count < 0)
        {
            inode = 0;
            return Marshal.GetLastPInvokeError();
        }
        return TryParseInode(linkBuffer[..(int)count], out inode) ? 0 : Errno.EINVAL;
    }

    /// <summary>The inode of the namespace at "/proc/&lt;pid&gt;/&lt;relative&gt;"; returns 0 or the errno.</summary>
    internal static int ReadNamespaceLink(int pid, ReadOnlySpan<byte> relativePath, out ulong inode)
    {
        Span<byte> path = stackalloc byte[PathCapacity];
        Span<byte> link = stackalloc byte[LinkCapacity];
        int prefix = WriteProcessDirectory(path, pid);
        relativePath.CopyTo(path[prefix..]);
        return ReadNamespaceLink(path, link, out inode);
    }

    internal static bool TryParseInode(ReadOnlySpan<byte> link, out ulong inode)
    {
        inode = 0;
        int open = link.IndexOf((byte)'[');
        if (open < 0 || link.Length < open + 3 || link[^1] != (byte)']')
        {
            return false;
        }
        foreach (byte digit in link[(open + 1)..^1])
        {
            if (digit < (byte)'0' || digit > (byte)'9')
            {
                return false;
            }
            inode = inode * 10 + (ulong)(digit - '0');
        }
        return true;
    }

    /// <summary>Every process id under /proc (thread group leaders only, as readdir shows them).</summary>
    internal static List<int> ListProcessIds()
    {
        var pids = new List<int>(512);
        int fd;
        fixed (byte* path = "/proc\0"u8)
        {
            fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        }
        if (fd < 0)
        {
            throw new IOException($"Cannot open /proc (errno {Marshal.GetLastPInvokeError()}); is procfs mounted?");
        }
        try
        {
            const int BufferSize = 32 * 1024;
            byte* buffer = stackalloc byte[BufferSize];
            while (true)
            {
                nint filled = Libc.getdents64(fd, buffer, BufferSize);
                if (filled < 0)
                {
                    throw new IOException($"Cannot list /proc (errno {Marshal.GetLastPInvokeError()}).");
                }
                if (filled == 0)
                {
                    break;
                }
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (nint offset = 0; offset < filled;)
                {
                    byte* entry = buffer + offset;
                    ushort recordLength = *(ushort*)(entry + 16);
                    if (TryParsePid(entry + 19, out int pid))
                    {
                        pids.Add(pid);
                    }
                    offset += recordLength;
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
        return pids;
    }

    private static bool TryParsePid(byte* name, out int pid)
    {
        pid = 0;
        if (*name == 0)
        {
            return false;
        }
        for (; *name != 0; name++)
        {
            if (*name < (byte)'0' || *name > (byte)'9')
            {
                return false;
            }
            pid = pid * 10 + (*name - '0');
        }
        return true;
    }

    internal static bool ProcessDirectoryExists(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>The process's comm without the trailing newline, or null when it is gone.</summary>
    internal static string? ReadComm(int pid)
    {
        byte[]? bytes = ReadProcessFile(pid, "comm");
        if (bytes is null)
        {
            return null;
        }
        int length = bytes.Length;
        if (length > 0 && bytes[length - 1] == (byte)'\n')
        {
            length--;
        }
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>The command line with NULs as spaces (like lsns's COMMAND); comm for kernel threads.</summary>
    internal static string? ReadCommandLine(int pid)
    {
        byte[]? bytes = ReadProcessFile(pid, "cmdline");
        if (bytes is null)
        {
            return null;
        }
        int length = bytes.Length;
        while (length > 0 && bytes[length - 1] == 0)
        {
            length--;
        }
        if (length == 0)
        {
            return ReadComm(pid);
        }
        for (int i = 0; i < length; i++)
        {
            if (bytes[i] == 0)
            {
                bytes[i] = (byte)' ';
            }
        }
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>
    /// Whether the process's command line (NULs read as spaces, as <see cref="ReadCommandLine"/> shows it) contains
    /// <paramref name="needle"/> (and <paramref name="alsoNeedle"/> when given); read with one open and read(2) into a
    /// stack buffer, so scanning every process for a path costs no allocation. Only the first 16 KiB are looked at;
    /// false when the process is gone.
    /// </summary>
    internal static bool CommandLineContains(int pid, ReadOnlySpan<byte> needle, ReadOnlySpan<byte> alsoNeedle = default)
    {
        const int Capacity = 16 * 1024;
        Span<byte> path = stackalloc byte[PathCapacity];
        int length = WriteProcessDirectory(path, pid);
        "cmdline\0"u8.CopyTo(path[length..]);
        int fd;
        fixed (byte* p = path)
        {
            fd = Libc.open(p, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        }
        if (fd < 0)
        {
            return false;
        }
        byte* buffer = stackalloc byte[Capacity];
        int filled = 0;
        try
        {
            while (filled < Capacity)
            {
                nint count = Libc.read(fd, buffer + filled, Capacity - filled);
                if (count < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                    continue;
                }
                if (count <= 0)
                {
                    break;
                }
                filled += (int)count;
            }
        }
        finally
        {
            Libc.close(fd);
        }
        var text = new Span<byte>(buffer, filled);
        text.Replace((byte)0, (byte)' ');
        return text.IndexOf(needle) >= 0 && (alsoNeedle.IsEmpty || text.IndexOf(alsoNeedle) >= 0);
    }

    /// <summary>/proc/&lt;pid&gt;/stat; null when the process is gone (or the file unreadable).</summary>
    internal static ProcStat? ReadStat(int pid)
    {
        byte[]? bytes = ReadProcessFile(pid, "stat");
        return bytes is not null && ProcStat.TryParse(Encoding.UTF8.GetString(bytes), out var stat) ? stat : null;
    }

    private static byte[]? ReadProcessFile(int pid, string name)
    {
        try
        {
            return File.ReadAllBytes($"/proc/{pid}/{name}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int WriteDecimal(Span<byte> destination, uint value)
    {
        Span<byte> digits = stackalloc byte[10];
        int count = 0;
        do
        {
            digits[count++] = (byte)('0' + value % 10);
            value /= 10;
        }
        while (value != 0);
        for (int i = 0; i < count; i++)
        {
            destination[i] = digits[count - 1 - i];
        }
        return count;
    }
}
