using System.Runtime.InteropServices;

namespace PodShell.Linux;

/// <summary>The libc calls the module makes (procfs and nsfs reads, cgroupfs writes, process control, unmounts); all namespace changes are podshell-init's.</summary>
internal static unsafe class Libc
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 0x1;
    public const int O_TRUNC = 0x200;
    public const int O_CLOEXEC = 0x80000;

    // linux/nsfs.h: _IO(0xb7, n)
    public const nuint NS_GET_USERNS = 0xb701;
    public const nuint NS_GET_OWNER_UID = 0xb704;

    [DllImport("libc", SetLastError = true)]
    public static extern nint readlink(byte* path, byte* buffer, nint size);

    [DllImport("libc", SetLastError = true)]
    public static extern int open(byte* path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern nint read(int fd, byte* buffer, nuint count);

    [DllImport("libc", SetLastError = true)]
    public static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    public static extern nint getdents64(int fd, byte* buffer, nuint count);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    public static extern int ioctl(int fd, nuint request, nint argument);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    public static extern int ioctl(int fd, nuint request, uint* argument);

    [DllImport("libc", SetLastError = true)]
    public static extern int rmdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc", SetLastError = true)]
    public static extern int statfs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int MNT_DETACH = 2;

    [DllImport("libc", SetLastError = true)]
    public static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    public static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int mount([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string fileSystemType, ulong flags, [MarshalAs(UnmanagedType.LPUTF8Str)] string? data);

    [DllImport("libc", SetLastError = true)]
    public static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    public const short POLLIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int poll(ref PollFd fd, nuint count, int timeoutMilliseconds);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "syscall")]
    private static extern int syscall_pidfd_open(nint number, int pid, uint flags);

    /// <summary>pidfd_open(2): an fd that polls readable once the process has exited; -1 where the kernel lacks it.</summary>
    public static int pidfd_open(int pid)
    {
        // 434 on every architecture (the unified syscall table since Linux 5.3).
        return syscall_pidfd_open(434, pid, 0);
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "realpath")]
    private static extern nint realpath_native([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void free(nint pointer);

    /// <summary>realpath(3): every symlink and ".." resolved; null when some part does not exist.</summary>
    public static string? RealPath(string path)
    {
        nint resolved = realpath_native(path, 0);
        if (resolved == 0) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { free(resolved); }
    }

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    // The caller's terminal while a container's pty is attached to it (Invoke-PodCommand -Interactive).
    public const int StdinFd = 0, StdoutFd = 1;
    public const int TCSANOW = 0, TCSADRAIN = 1;
    /// <summary>glibc's struct termios is 60 bytes; a little room to spare.</summary>
    public const int TermiosSize = 64;
    public const nuint TIOCGWINSZ = 0x5413;
    public const int EFD_CLOEXEC = 0x80000;

    [DllImport("libc", SetLastError = true)]
    public static extern int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [DllImport("libc", SetLastError = true)]
    public static extern nint write(int fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    public static extern nint read(int fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    public static extern int ioctl(int fd, nuint request, ushort* argument);

    [DllImport("libc", SetLastError = true)]
    public static extern int isatty(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int tcgetattr(int fd, byte* termios);

    [DllImport("libc", SetLastError = true)]
    public static extern int tcsetattr(int fd, int when, byte* termios);

    [DllImport("libc")]
    public static extern void cfmakeraw(byte* termios);

    [DllImport("libc", SetLastError = true)]
    public static extern int eventfd(uint initial, int flags);
}
