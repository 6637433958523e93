using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PodShell.Linux;

/// <summary>The libc calls that unpacking needs and .NET does not offer (owners, devices, xattrs, nofollow times).</summary>
internal static unsafe class FileSystemCalls
{
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFIFO = 0x1000;
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int S_IFMT = 0xF000;
    private const int S_IFDIR = 0x4000;
    private const int S_IFLNK = 0xA000;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int chmod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong device);

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string target, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc", SetLastError = true)]
    private static extern int lsetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte* value, nuint size, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint lgetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte* value, nuint size);

    [DllImport("libc", SetLastError = true)]
    private static extern int utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, Timespec* times, int flags);


    private static IOException Fail(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    /// <summary>The file type bits (S_IFMT) and device numbers of a path, without following a symlink; null when it does not exist.</summary>
    public static (int Type, uint RdevMajor, uint RdevMinor)? LStat(string path)
    {
        const uint StatxType = 0x1;
        var buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, StatxType, buffer) != 0) return null;
        var mode = *(ushort*)(buffer + 28);
        return (mode & S_IFMT, *(uint*)(buffer + 128), *(uint*)(buffer + 132));
    }

    /// <summary>An overlay whiteout (character device 0:0)?</summary>
    public static bool IsWhiteout(string path) => LStat(path) is { Type: (int)S_IFCHR, RdevMajor: 0, RdevMinor: 0 };

    public static void Chown(string path, int uid, int gid)
    {
        if (lchown(path, (uint)uid, (uint)gid) != 0) throw Fail("lchown", path);
    }

    public static void Chmod(string path, int mode)
    {
        if (chmod(path, (uint)(mode & 0xFFF)) != 0) throw Fail("chmod", path);
    }

    public static void MakeNode(string path, uint type, int mode, int major, int minor)
    {
        ulong device = ((ulong)((uint)major & 0xfffff000) << 32) | (((uint)major & 0xfff) << 8) | ((ulong)((uint)minor & 0xffffff00) << 12) | ((uint)minor & 0xff);
        if (mknod(path, type | (uint)(mode & 0xFFF), device) != 0) throw Fail("mknod", path);
    }

    /// <summary>An overlay whiteout: a character device 0:0.</summary>
    public static void MakeWhiteout(string path) => MakeNode(path, S_IFCHR, 0, 0, 0);

    public static void HardLink(string existing, string path)
    {
        if (link(existing, path) != 0) throw Fail("link", path);
    }

    public static void SetXattr(string path, string name, byte[] value)
    {
        fixed (byte* p = value)
        {
            if (lsetxattr(path, name, p, (nuint)value.Length, 0) != 0) throw Fail($"lsetxattr {name}", path);
        }
    }

    public static byte[]? GetXattr(string path, string name)
    {
        var buffer = new byte[256];
        fixed (byte* p = buffer)
        {
            var size = lgetxattr(path, name, p, (nuint)buffer.Length);
            return size < 0 ? null : buffer.AsSpan(0, (int)size).ToArray();
        }
    }

    /// <summary>Marks a folder opaque for overlayfs: nothing of the lower layers shows through it.</summary>
    public static void MarkOpaque(string directory) => SetXattr(directory, "trusted.overlay.opaque", Encoding.ASCII.GetBytes("y"));

    public static bool IsOpaque(string directory) => GetXattr(directory, "trusted.overlay.opaque") is [(byte)'y'];

    /// <summary>Sets access and modification times without following a symlink.</summary>
    public static void SetTimes(string path, DateTimeOffset modified)
    {
        var ticks = modified.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0) { seconds--; rest += TimeSpan.TicksPerSecond; }
        var times = stackalloc Timespec[2];
        times[0] = new Timespec { Seconds = seconds, Nanoseconds = rest * 100 };
        times[1] = times[0];
        if (utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) != 0) throw Fail("utimensat", path);
    }
}
