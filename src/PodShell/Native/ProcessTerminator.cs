using System;
using System.Diagnostics;
using System.Threading;

namespace PodShell.Native;

/// <summary>SIGTERM, a grace period, then SIGKILL: how kubelet stops a process.</summary>
internal static class ProcessTerminator
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>Returns true when the process is gone (or was never there).</summary>
    public static bool Terminate(ProcessIdentity process, TimeSpan grace, CancellationToken cancel)
    {
        if (!process.IsAlive) return true;
        if (grace > TimeSpan.Zero)
        {
            Libc.kill(process.Pid, Libc.SIGTERM);
            if (WaitForExit(process, grace, cancel)) return true;
        }
        Kill(process);
        return WaitForExit(process, KillWait, CancellationToken.None);
    }

    public static void Kill(ProcessIdentity process)
    {
        if (process.IsAlive) Libc.kill(process.Pid, Libc.SIGKILL);
    }

    public static bool WaitForExit(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var delay = 1;
        while (process.IsAlive)
        {
            if (clock.Elapsed >= timeout || cancel.IsCancellationRequested) return false;
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 20);
        }
        return true;
    }
}
