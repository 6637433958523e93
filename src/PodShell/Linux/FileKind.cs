using System.Runtime.InteropServices;

namespace PodShell.Linux;

/// <summary>What kind of file a path is (following links, as stat does), read with statx: its layout is the same on every architecture.</summary>
internal static unsafe class FileKind
{
    private const int AT_FDCWD = -100;
    private const uint STATX_TYPE = 1;
    private const int S_IFMT = 0xF000;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    /// <summary>'-' file, 'd' folder, 's' socket, 'c' char device, 'b' block device, 'p' fifo; '\0' when the path is not there.</summary>
    public static char Of(string path)
    {
        var buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, 0, STATX_TYPE, buffer) != 0) return '\0';
        var mode = *(ushort*)(buffer + 28) & S_IFMT;
        return mode switch
        {
            0x8000 => '-',
            0x4000 => 'd',
            0xC000 => 's',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            _ => '?',
        };
    }
}
