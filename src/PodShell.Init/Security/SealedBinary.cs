using PodShell.Init.Syscalls;

namespace PodShell.Init.Security;

/// <summary>
/// Guards the node's podshell-init against being overwritten from a container through /proc/PID/exe (CVE-2019-5736),
/// the two ways runc does: the stages that enter a container run from a sealed in-memory copy of the binary, and
/// they make themselves non-dumpable before joining anything (so /proc/PID/exe and /proc/PID/mem are closed to the
/// container's processes until the container's own command is exec'd, which makes the process dumpable again).
/// </summary>
internal static unsafe class SealedBinary
{
    private const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_EXEC = 0x10;
    private const int F_ADD_SEALS = 1033;
    private const int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
    private const int PR_SET_DUMPABLE = 4;

    public static void MakeNonDumpable() => Check.Ok(Libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)");

    /// <summary>
    /// A close-on-exec memfd holding a sealed copy of this binary (no write, no resize, no further seals), or -1 when
    /// the kernel cannot make one (the caller then runs the binary from its path). Exec it as /proc/self/fd/N.
    /// </summary>
    public static int Copy()
    {
        int memfd = Libc.memfd_create("podshell-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (memfd < 0 && Check.Errno == Flags.EINVAL) memfd = Libc.memfd_create("podshell-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd < 0) return -1;
        int source = Libc.open("/proc/self/exe", Flags.O_RDONLY | Flags.O_CLOEXEC, 0);
        try
        {
            if (source < 0) throw new SyscallException("open", Check.Errno, "/proc/self/exe");
            while (true)
            {
                nint n = Libc.sendfile(memfd, source, null, 1 << 20);
                if (n == 0) break;
                if (n < 0 && Check.Errno != Flags.EINTR) throw new SyscallException("sendfile", Check.Errno, "/proc/self/exe");
            }
            Check.Ok(Libc.fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "fcntl(F_ADD_SEALS)");
            return memfd;
        }
        catch (InitException)
        {
            Libc.close(memfd);
            return -1;
        }
        finally { Fd.Close(source); }
    }
}
