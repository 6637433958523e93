using System.Runtime.InteropServices;

namespace PodShell.Linux;

/// <summary>
/// The *at calls that walk a container's root from a directory fd (Copy-PodItem): openat2 with
/// RESOLVE_IN_ROOT keeps every path, "..", and absolute symlink inside that root.
/// </summary>
internal static unsafe class FileAt
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 0x1;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;
    // These two differ between architectures (asm-generic is arm64's).
    public static readonly int O_DIRECTORY = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x10000 : 0x4000;
    public static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x20000 : 0x8000;

    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;
    public const ulong RESOLVE_IN_ROOT = 0x10;

    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x1;
    public const uint STATX_MODE = 0x2;
    public const uint STATX_SIZE = 0x200;

    public const int S_IFMT = 0xF000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFREG = 0x8000;
    public const int S_IFLNK = 0xA000;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "syscall")]
    private static extern int syscall_openat2(nint number, int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, OpenHow* how, nuint size);

    /// <summary>openat2(2) (Linux 5.6): 437 on every architecture.</summary>
    public static int openat2(int dirfd, string path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = mode, Resolve = resolve };
        return syscall_openat2(437, dirfd, path, &how, (nuint)sizeof(OpenHow));
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int mkdirat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int symlinkat([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc", SetLastError = true)]
    public static extern nint readlinkat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer, nint size);

    [DllImport("libc", SetLastError = true)]
    public static extern int fchmod(int fd, uint mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int unlinkat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    /// <summary>The file's type and permission bits (st_mode), not following a last symlink; -1 with errno set on failure.</summary>
    public static int Mode(int dirfd, string path)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(dirfd, path, AT_SYMLINK_NOFOLLOW | (path.Length == 0 ? AT_EMPTY_PATH : 0), STATX_TYPE | STATX_MODE, buffer) != 0) return -1;
        return *(ushort*)(buffer + 28); // struct statx: stx_mode after mask, blksize, attributes, nlink, uid, gid
    }
}
