using System.Runtime.InteropServices;

namespace PodShell.Terminal;

/// <summary>The libc calls behind the caller's terminal: termios, window size, and fd reads that can be woken.</summary>
internal static unsafe class TerminalInterop
{
    public const int StdinFd = 0, StdoutFd = 1;
    public const int TCSANOW = 0, TCSADRAIN = 1;
    /// <summary>glibc's struct termios is 60 bytes; a little room to spare.</summary>
    public const int TermiosSize = 64;
    public const nuint TIOCGWINSZ = 0x5413;
    public const short POLLIN = 1, POLLHUP = 0x10, POLLERR = 8;
    public const int EINTR = 4, EAGAIN = 11;
    public const int EFD_CLOEXEC = 0x80000;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int isatty(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int tcgetattr(int fd, byte* termios);

    [DllImport("libc", SetLastError = true)]
    public static extern int tcsetattr(int fd, int when, byte* termios);

    [DllImport("libc")]
    public static extern void cfmakeraw(byte* termios);

    [DllImport("libc", SetLastError = true, EntryPoint = "ioctl")]
    public static extern int ioctl(int fd, nuint request, ushort* argument);

    [DllImport("libc", SetLastError = true)]
    public static extern int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [DllImport("libc", SetLastError = true)]
    public static extern nint read(int fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    public static extern nint write(int fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    public static extern int eventfd(uint initial, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);
}
