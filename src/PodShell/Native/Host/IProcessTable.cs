using System;
using System.Threading;
using PodShell.Linux;

namespace PodShell.Native.Host;

/// <summary>The node's processes as the engine sees them: liveness by pid and start time, signals, waits.</summary>
internal interface IProcessTable
{
    /// <summary>True while the process named by pid and start time runs (a reused pid or a zombie is not it).</summary>
    bool IsAlive(ProcessIdentity process);

    /// <summary>The start time of whatever runs as <paramref name="pid"/> now; null when nothing does.</summary>
    ulong? ReadStartTime(int pid);

    /// <summary>Sends a signal by bare pid (for pids just read from a cgroup, whose start time is not known).</summary>
    void Signal(int pid, int signal);

    /// <summary>SIGKILL, when the process is still the one named.</summary>
    void Kill(ProcessIdentity process);

    /// <summary>SIGTERM, the grace period, then SIGKILL; true when the process is gone.</summary>
    bool Terminate(ProcessIdentity process, TimeSpan grace, CancellationToken cancel);

    /// <summary>Waits for the process to exit; true when it did within the timeout.</summary>
    bool WaitForExit(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel);
}
