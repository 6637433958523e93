using System;
using System.Collections.Generic;
using System.Threading;
using PodShell.Linux;
using PodShell.Native.Host;

namespace PodShell.Tests.Fakes;

/// <summary>A process table the test writes: processes live until a test (or a kill the engine sends) ends them.</summary>
internal sealed class FakeProcessTable : IProcessTable
{
    private readonly Dictionary<int, ulong> _running = new();
    private readonly object _gate = new();

    /// <summary>Every signal the engine sent, in order (pid, signal).</summary>
    public List<(int Pid, int Signal)> Signals { get; } = new();

    public ProcessIdentity Start(int pid, ulong startTime = 1000)
    {
        lock (_gate) _running[pid] = startTime;
        return new ProcessIdentity(pid, startTime);
    }

    public void Exit(int pid)
    {
        lock (_gate) _running.Remove(pid);
    }

    public bool IsAlive(ProcessIdentity process)
    {
        lock (_gate) return process.Pid > 0 && _running.TryGetValue(process.Pid, out var started) && started == process.StartTime;
    }

    public ulong? ReadStartTime(int pid)
    {
        lock (_gate) return _running.TryGetValue(pid, out var started) ? started : null;
    }

    public void Signal(int pid, int signal)
    {
        lock (_gate)
        {
            Signals.Add((pid, signal));
            // This table's processes obey: SIGTERM and SIGKILL end them.
            if (signal is Libc.SIGTERM or Libc.SIGKILL) _running.Remove(pid);
        }
    }

    public void Kill(ProcessIdentity process)
    {
        if (IsAlive(process)) Signal(process.Pid, Libc.SIGKILL);
    }

    public bool Terminate(ProcessIdentity process, TimeSpan grace, CancellationToken cancel)
    {
        if (!IsAlive(process)) return true;
        Signal(process.Pid, grace > TimeSpan.Zero ? Libc.SIGTERM : Libc.SIGKILL);
        return !IsAlive(process);
    }

    public bool WaitForExit(ProcessIdentity process, TimeSpan timeout, CancellationToken cancel) => !IsAlive(process);
}
