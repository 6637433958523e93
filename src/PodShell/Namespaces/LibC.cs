using System.Runtime.InteropServices;

namespace PodShell.Namespaces;

/// <summary>The few libc calls the namespace readers need, with blittable signatures.</summary>
internal static unsafe class LibC
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int ESRCH = 3;
    internal const int EACCES = 13;
    internal const int EINVAL = 22;

    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;

    // linux/nsfs.h: _IO(0xb7, n)
    internal const nuint NS_GET_USERNS = 0xb701;
    internal const nuint NS_GET_OWNER_UID = 0xb704;

    [DllImport("libc")]
    internal static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    internal static extern nint readlink(byte* path, byte* buffer, nint size);

    [DllImport("libc", SetLastError = true)]
    internal static extern int open(byte* path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    internal static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    internal static extern nint read(int fd, byte* buffer, nuint count);

    [DllImport("libc", SetLastError = true)]
    internal static extern nint getdents64(int fd, byte* buffer, nuint count);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    internal static extern int ioctl(int fd, nuint request, nint argument);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    internal static extern int ioctl(int fd, nuint request, uint* argument);
}
