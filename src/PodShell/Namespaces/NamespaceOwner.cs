using System;
using PodShell.Linux;
using PodShell.Model;

namespace PodShell.Namespaces;

/// <summary>The owning user namespace of a namespace and its creator's uid, by the nsfs ioctls.</summary>
internal static unsafe class NamespaceOwner
{
    /// <summary>
    /// For a user namespace: its parent and the uid that created it. For any other type: the user
    /// namespace that owns it and the uid that created that. Nulls where the kernel will not say
    /// (the initial user namespace has no parent visible to us, or the process is gone).
    /// </summary>
    internal static void Read(int pid, NamespaceType type, out ulong? ownerUserNamespace, out uint? ownerUid)
    {
        ownerUserNamespace = null;
        ownerUid = null;
        Span<byte> path = stackalloc byte[ProcFs.PathCapacity];
        int prefix = ProcFs.WriteProcessDirectory(path, pid);
        NamespaceFiles.RelativePath(type).CopyTo(path[prefix..]);
        int fd;
        fixed (byte* p = path)
        {
            fd = Libc.open(p, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        }
        if (fd < 0)
        {
            return;
        }
        try
        {
            int ownerFd = Libc.ioctl(fd, Libc.NS_GET_USERNS, 0);
            if (type == NamespaceType.User)
            {
                ownerUid = ReadOwnerUid(fd);
            }
            if (ownerFd >= 0)
            {
                try
                {
                    ownerUserNamespace = InodeOfDescriptor(ownerFd);
                    if (type != NamespaceType.User)
                    {
                        ownerUid = ReadOwnerUid(ownerFd);
                    }
                }
                finally
                {
                    Libc.close(ownerFd);
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static uint? ReadOwnerUid(int userNamespaceFd)
    {
        uint uid;
        return Libc.ioctl(userNamespaceFd, Libc.NS_GET_OWNER_UID, &uid) == 0 ? uid : null;
    }

    private static ulong? InodeOfDescriptor(int fd)
    {
        Span<byte> path = stackalloc byte[ProcFs.PathCapacity];
        Span<byte> link = stackalloc byte[ProcFs.LinkCapacity];
        "/proc/self/fd/"u8.CopyTo(path);
        int length = 14;
        foreach (char c in fd.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            path[length++] = (byte)c;
        }
        path[length] = 0;
        return ProcFs.ReadNamespaceLink(path, link, out ulong inode) == 0 ? inode : null;
    }
}
