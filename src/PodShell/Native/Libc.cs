using System.Runtime.InteropServices;

namespace PodShell.Native;

/// <summary>The few libc calls the module itself makes; all namespace work is podshell-init's.</summary>
internal static class Libc
{
    public const int EEXIST = 17;
    public const int ENOENT = 2;
    public const int EINVAL = 22;
    public const int EBUSY = 16;
    public const int ESRCH = 3;
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

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
