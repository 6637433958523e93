using System.Runtime.InteropServices;

namespace PodShell.Linux;

internal static class Mounts
{
    private const ulong MS_NOSUID = 2, MS_NODEV = 4;

    /// <summary>Mounts a tmpfs of at most <paramref name="sizeBytes"/> (null: the kernel's default, half the memory) on a folder.</summary>
    public static void MountTmpfs(string path, long? sizeBytes)
    {
        var options = sizeBytes is { } size ? $"mode=1777,size={size}" : "mode=1777";
        if (Libc.mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
        {
            throw new System.IO.IOException($"Cannot mount a tmpfs on {path}: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Detaches every mount stacked on a path; a path with no mount (or no path) is fine.</summary>
    public static void Unmount(string path)
    {
        for (var layer = 0; layer < 16; layer++)
        {
            if (Libc.umount2(path, Libc.MNT_DETACH) == 0) continue;
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.EINVAL or Errno.ENOENT) return;
            throw new System.IO.IOException($"Cannot unmount {path}: {Libc.ErrorText(errno)}");
        }
    }
}
