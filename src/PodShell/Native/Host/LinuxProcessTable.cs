using System;
using System.Threading;
using PodShell.Linux;

namespace PodShell.Native.Host;

/// <summary>The real process table: /proc for liveness, kill(2) for signals, pidfds for waits.</summary>
internal sealed class LinuxProcessTable : IProcessTable
{
    public static LinuxProcessTable Instance { get; } = new();

    public bool IsAlive(ProcessIdentity process) => process.IsAlive;

    public ulong? ReadStartTime(int pid) => ProcessIdentity.ReadStartTime(pid);

    public void Signal(int pid, int signal) => Libc.kill(pid, signal);

    public void Kill(ProcessIdentity process) => ProcessTerminator.Kill(process);

    public bool Terminate(ProcessIdentity process, TimeSpan grace, CancellationToken cancel) => ProcessTerminator.Terminate(process, grace, cancel);

    public bool WaitForExit(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel) => ProcessTerminator.WaitForExit(process, timeout, cancel);
}
