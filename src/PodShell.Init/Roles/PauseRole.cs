using System.Text;
using PodShell.Init.Diagnostics;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Roles;

/// <summary>`pause`: PID 1 of the pod. Reaps zombies, exits 0 on SIGTERM/SIGINT, nothing else.</summary>
internal static unsafe class PauseRole
{
    public const string ReadyMark = "R";
    public static readonly int[] Signals = [Flags.SIGTERM, Flags.SIGINT, Flags.SIGCHLD];

    public static int Run(CommandLine line)
    {
        // The spawner already blocked these for every thread; block again in case pause was started by hand.
        int signals = SignalSet.BlockIntoSignalFd(Signals);
        Trace.Mark("signals");
        Libc.chdir("/");
        if (line.ReadyFd >= 0)
        {
            try
            {
                PrepareMounts();
                Trace.Mark("mounts");
                Fd.WriteAll(line.ReadyFd, Encoding.ASCII.GetBytes(ReadyMark));
            }
            catch (InitException e)
            {
                Fd.WriteAll(line.ReadyFd, e.Message);
                return 1;
            }
            Fd.Close(line.ReadyFd);
        }
        return Loop(signals);
    }

    /// <summary>A mount namespace of its own with a /proc that shows the pod's pid namespace.</summary>
    private static void PrepareMounts()
    {
        Check.Ok(Libc.unshare(Flags.CLONE_NEWNS), "unshare(CLONE_NEWNS)");
        // Slave: unmounts on the node (shm, pins) still reach this namespace.
        Check.Ok(Libc.mount(null, "/", null, Flags.MS_REC | Flags.MS_SLAVE, null), "mount(MS_SLAVE)", "/");
        if (Libc.getpid() == 1)
            Check.Ok(Libc.mount("proc", "/proc", "proc", Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC, null), "mount(proc)", "/proc");
    }

    private static int Loop(int signals)
    {
        int status;
        while (true)
        {
            int signal = SignalSet.Read(signals);
            if (signal == Flags.SIGTERM || signal == Flags.SIGINT)
            {
                Trace.Mark("stop-signal");
                return 0;
            }
            if (signal == Flags.SIGCHLD)
                while (Libc.waitpid(-1, &status, Flags.WNOHANG) > 0) { }
        }
    }
}
