using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using PodShell.Linux;

namespace PodShell.Cgroups;

/// <summary>Raw cgroupfs file access: one open/write/close per value, errno kept in the message.</summary>
internal static class CgroupIO
{
    internal const long CGROUP2_SUPER_MAGIC = 0x63677270;
    internal const long CGROUP_SUPER_MAGIC = 0x27e0eb;

    /// <summary>The f_type of statfs(path), or null when statfs fails.</summary>
    internal static unsafe long? FileSystemType(string path)
    {
        // struct statfs is 120 bytes on 64-bit Linux; f_type (a long) comes first.
        byte* buffer = stackalloc byte[256];
        if (Libc.statfs(path, buffer) != 0) return null;
        return *(long*)buffer;
    }

    /// <summary>
    /// Writes a value the way runc does: O_WRONLY|O_TRUNC without O_CREAT (a missing file means the
    /// controller is not there, and must not be created on a fixture), in a single write(2).
    /// </summary>
    internal static void Write(string path, string value)
    {
        int fd = Libc.open(path, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", path, Marshal.GetLastPInvokeError(), value);
        try
        {
            byte[] bytes = Encoding.ASCII.GetBytes(value);
            nint n = Libc.write(fd, bytes, bytes.Length);
            if (n < 0) throw Error("write", path, Marshal.GetLastPInvokeError(), value);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>rmdir(2); returns 0 or the errno.</summary>
    internal static int RemoveDirectory(string path)
    {
        return Libc.rmdir(path) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    internal static IOException Error(string operation, string path, int errno, string? value = null)
    {
        string what = value is null ? "" : $" '{value.Trim()}'";
        return new IOException($"{operation}{what} on {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    /// <summary>The trimmed content of a cgroup file, or null when it does not exist or cannot be read.</summary>
    internal static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static long? ReadInt64(string path)
    {
        string? text = ReadText(path);
        return text is not null && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    internal static ulong? ReadUInt64(string path)
    {
        string? text = ReadText(path);
        return text is not null && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;
    }

    /// <summary>"max" -> null, a number -> the number; missing or unreadable -> null.</summary>
    internal static long? ReadMaxOrInt64(string path, out bool present)
    {
        string? text = ReadText(path);
        present = text is not null;
        if (text is null || text == "max") return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    /// <summary>The pids in a cgroup.procs file, sorted; empty when the file is missing.</summary>
    internal static int[] ReadProcs(string path)
    {
        string? text = ReadText(path);
        if (string.IsNullOrEmpty(text)) return Array.Empty<int>();
        var pids = new List<int>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) pids.Add(pid);
        }
        pids.Sort();
        return pids.ToArray();
    }

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
