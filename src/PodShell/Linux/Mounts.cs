using System.Runtime.InteropServices;

namespace PodShell.Linux;

internal static class Mounts
{
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
