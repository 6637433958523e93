using System.IO;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Mounts;

internal static unsafe class MountOps
{
    public static void Mount(string? source, string target, string? type, ulong flags, string? data = null)
    {
        if (Libc.mount(source, target, type, flags, data) < 0)
        {
            string what = type is not null ? $"mount({type})" : (flags & Flags.MS_REMOUNT) != 0 ? "mount(remount)" : "mount(bind " + source + ")";
            throw new SyscallException(what + " on", Check.Errno, target);
        }
    }

    /// <summary>Bind-remounts read-only, keeping nosuid/nodev/noexec/atime flags the mount already has.</summary>
    public static void RemountReadOnly(string target, bool recursiveBind = false)
    {
        ulong flags = Flags.MS_BIND | Flags.MS_REMOUNT | Flags.MS_RDONLY | CurrentFlags(target);
        if (recursiveBind) flags |= Flags.MS_REC;
        Mount(null, target, null, flags);
    }

    private static ulong CurrentFlags(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (Libc.statvfs(path, buffer) < 0) return 0;
        ulong st = *(ulong*)(buffer + 72); // struct statvfs.f_flag on 64-bit glibc
        ulong flags = 0;
        if ((st & 2) != 0) flags |= Flags.MS_NOSUID;
        if ((st & 4) != 0) flags |= Flags.MS_NODEV;
        if ((st & 8) != 0) flags |= Flags.MS_NOEXEC;
        if ((st & 1024) != 0) flags |= Flags.MS_NOATIME;
        if ((st & 2048) != 0) flags |= Flags.MS_NODIRATIME;
        if ((st & 4096) != 0) flags |= Flags.MS_RELATIME;
        return flags;
    }

    public static void MakeDirectory(string path) => Directory.CreateDirectory(path);

    /// <summary>Makes an empty regular file to bind a file onto; replaces a symlink (it could point out of the rootfs).</summary>
    public static void MakeFile(string path)
    {
        if (Fd.ReadLink(path) is not null) Libc.unlink(path);
        if (Directory.Exists(path)) throw new InitException($"cannot bind a file onto the directory {path}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int fd = Libc.open(path, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_CLOEXEC, 0x1a4);
        if (fd < 0) throw new SyscallException("open(O_CREAT)", Check.Errno, path);
        Libc.close(fd);
    }
}
