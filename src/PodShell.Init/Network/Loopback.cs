using PodShell.Init.Syscalls;

namespace PodShell.Init.Network;

internal static unsafe class Loopback
{
    /// <summary>Sets IFF_UP on "lo" in the calling thread's network namespace (what `ip link set lo up` does).</summary>
    public static void Up()
    {
        int socket = Check.Ok(Libc.socket(Flags.AF_INET, Flags.SOCK_DGRAM | Flags.SOCK_CLOEXEC, 0), "socket(AF_INET)");
        try
        {
            byte* request = stackalloc byte[40]; // struct ifreq: name[16] + union
            new System.Span<byte>(request, 40).Clear();
            request[0] = (byte)'l';
            request[1] = (byte)'o';
            Check.Ok(Libc.ioctl(socket, Flags.SIOCGIFFLAGS, request), "ioctl(SIOCGIFFLAGS)", "lo");
            *(short*)(request + 16) |= Flags.IFF_UP;
            Check.Ok(Libc.ioctl(socket, Flags.SIOCSIFFLAGS, request), "ioctl(SIOCSIFFLAGS)", "lo");
        }
        finally { Libc.close(socket); }
    }
}
