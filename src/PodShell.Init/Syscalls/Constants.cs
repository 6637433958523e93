using System.Runtime.InteropServices;

namespace PodShell.Init.Syscalls;

/// <summary>Linux ABI numbers (identical on x86_64 and arm64 unless noted).</summary>
internal static class Flags
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200,
        O_NOCTTY = 0x100, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;

    public const int CLONE_FS = 0x200, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000,
        CLONE_NEWIPC = 0x08000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_NOATIME = 1024,
        MS_NODIRATIME = 2048, MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
        MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;

    public const int MNT_DETACH = 2;

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGWINCH = 28;
    public const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    public const int SFD_CLOEXEC = 0x80000;

    public const int WNOHANG = 1;
    public const short POLLIN = 1, POLLERR = 8, POLLHUP = 0x10;

    public const int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1;
    public const int CLOSE_RANGE_CLOEXEC = 4;

    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;

    public const int PR_SET_PDEATHSIG = 1, PR_SET_KEEPCAPS = 8, PR_CAPBSET_DROP = 24, PR_SET_CHILD_SUBREAPER = 36,
        PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    // asm-generic/ioctls.h (x86_64 and arm64 alike)
    public const nuint TIOCSWINSZ = 0x5414, TIOCNOTTY = 0x5422, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431;
    public const short POLLOUT = 4;

    public const int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    public const nuint SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    public const short IFF_UP = 1;

    public const uint S_IFCHR = 0x2000;
    public const int X_OK = 1;

    public const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;

    public const int EINTR = 4, ENOENT = 2, EPERM = 1, ENOSYS = 38, EEXIST = 17, EAGAIN = 11, EACCES = 13, ECHILD = 10, EINVAL = 22,
        EIO = 5, EPIPE = 32, ESRCH = 3;

    public const int RLIMIT_NOFILE = 7;

    public static nint SysGetdents64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 61 : 217;

    public static nint SysPivotRoot => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 41 : 155;
}
