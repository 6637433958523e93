using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace PodShell.Network;

/// <summary>Network devices of the node: read through sysfs, deleted through rtnetlink (no ip(8) needed).</summary>
public static unsafe class LinkDevice
{
    private const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    private const ushort RTM_DELLINK = 17, NLMSG_ERROR = 2, NLM_F_REQUEST = 1, NLM_F_ACK = 4;

    public static bool Exists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    public static bool IsBridge(string name) => Directory.Exists(Path.Combine("/sys/class/net", name, "bridge"));

    /// <summary>The interfaces enslaved to a bridge (the host ends of the pods' veths).</summary>
    public static string[] BridgePorts(string name)
    {
        var brif = Path.Combine("/sys/class/net", name, "brif");
        return Directory.Exists(brif) ? Directory.EnumerateFileSystemEntries(brif).Select(Path.GetFileName).OfType<string>().ToArray() : Array.Empty<string>();
    }

    /// <summary>Deletes a link; a link that is not there is fine.</summary>
    public static void Delete(string name)
    {
        var index = if_nametoindex(name);
        if (index == 0) return;
        var fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) throw new IOException($"Cannot open a netlink socket: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            // struct nlmsghdr (16 bytes) + struct ifinfomsg (16 bytes)
            var request = stackalloc byte[32];
            new Span<byte>(request, 32).Clear();
            *(uint*)request = 32;
            *(ushort*)(request + 4) = RTM_DELLINK;
            *(ushort*)(request + 6) = NLM_F_REQUEST | NLM_F_ACK;
            *(uint*)(request + 8) = 1;
            *(int*)(request + 20) = (int)index;
            if (send(fd, request, 32, 0) != 32) throw new IOException($"Cannot ask the kernel to delete {name}: errno {Marshal.GetLastPInvokeError()}");
            var reply = stackalloc byte[512];
            var length = recv(fd, reply, 512, 0);
            if (length >= 20 && *(ushort*)(reply + 4) == NLMSG_ERROR)
            {
                var error = -*(int*)(reply + 16);
                if (error != 0 && error != 19 /* ENODEV: gone meanwhile */)
                {
                    throw new IOException($"Cannot delete network device {name}: errno {error}");
                }
            }
        }
        finally
        {
            close(fd);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint if_nametoindex([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    private static extern nint send(int fd, byte* buffer, nuint length, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recv(int fd, byte* buffer, nuint length, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
