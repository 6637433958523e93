using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PodShell.Linux;

/// <summary>A file's device and inode, read with statx (the same layout on every architecture): whether an open file is still the one a path names.</summary>
internal static unsafe class FileIdentity
{
    private const int AT_FDCWD = -100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_INO = 0x100;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    /// <summary>True when <paramref name="path"/> names the file open as <paramref name="handle"/> (not one removed and made anew).</summary>
    public static bool Same(SafeFileHandle handle, string path)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Of((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH) is { } open && Of(AT_FDCWD, path, 0) is { } named && open == named;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static (ulong Inode, uint Major, uint Minor)? Of(int dirfd, string path, int flags)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(dirfd, path, flags, STATX_INO, buffer) != 0) return null;
        // struct statx: stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140.
        return (*(ulong*)(buffer + 32), *(uint*)(buffer + 136), *(uint*)(buffer + 140));
    }
}
