using System;
using System.Diagnostics;
using System.Threading;

namespace PodShell.Linux;

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

    /// <summary>
    /// Waits for a process that need not be our child: poll(2) on a pidfd wakes the moment it exits,
    /// so stopping a pod costs no sleep-and-check rounds. Falls back to polling /proc where pidfds are missing.
    /// </summary>
    public static bool WaitForExit(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel)
    {
        var pidfd = Libc.pidfd_open(process.Pid);
        if (pidfd < 0) return PollProc(process, timeout, cancel);
        try
        {
            // Opened first, checked second: a pidfd names one process, so a reused pid cannot fool the wait.
            if (!process.IsAlive) return true;
            var clock = Stopwatch.StartNew();
            var fd = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
            while (true)
            {
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || cancel.IsCancellationRequested) return !process.IsAlive;
                // Short slices so Ctrl+C is noticed.
                if (Libc.poll(ref fd, 1, (int)Math.Min(left.TotalMilliseconds + 1, 100)) > 0) return true;
            }
        }
        finally
        {
            Libc.close(pidfd);
        }
    }

    private static bool PollProc(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel)
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
