using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Native.Host;
using PodShell.State;

namespace PodShell.Native.Stopping;

/// <summary>
/// Stops containers as kubelet does: SIGTERM through the shim, the grace period, then SIGKILL to whatever is
/// left in the container's cgroup.
/// </summary>
internal sealed class ContainerStopper(StateStore store, CgroupManager cgroups, IProcessTable processes)
{
    private static readonly TimeSpan ShimExitWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KilledExitWait = TimeSpan.FromMilliseconds(200);
    private const int KillRounds = 50;

    /// <summary>Every container of the pod at once, as kubelet does, so their grace periods overlap.</summary>
    public void StopAll(PodRecord pod, TimeSpan timeout, CancellationToken cancel)
    {
        var names = store.ListContainerNames(pod.Name).ToList();
        var tasks = names.Select(n => Task.Run(() => Stop(pod, n, timeout, cancel))).ToArray();
        Task.WaitAll(tasks, CancellationToken.None);
    }

    /// <summary>
    /// SIGTERM to the shim means "stop, and do not restart": it forwards SIGTERM to the container. After the
    /// grace period the container's processes get SIGKILL. Whatever is left in its cgroup is killed too (in a
    /// shared pid namespace a container's children outlive its first process).
    /// </summary>
    public void Stop(PodRecord pod, string name, TimeSpan timeout, CancellationToken cancel)
    {
        var record = store.ReadContainer(pod.Name, name, out _);
        var status = store.ReadStatus(pod.Name, name, out var statusProblem);
        // With its record or status unreadable there is no stop signal to honour and no state to wait for: no grace.
        if (record is null || statusProblem is not null) timeout = TimeSpan.Zero;
        // A pwsh that died mid-start never recorded the shim: the shim's own status file names it.
        var shim = record is { ShimPid: > 0 } ? record.ShimProcess()
            : status is { ShimPid: > 0 } ? new ProcessIdentity(status.ShimPid, status.ShimStartTime)
            : PodSweeper.FindShim(store.ContainerDirectory(pod.Name, name)); // both files unreadable: the shim names its config
        var main = status is null ? default : new ProcessIdentity(status.Pid, status.PidStartTime);
        if (shim.Pid > 0 && processes.IsAlive(shim))
        {
            processes.Signal(shim.Pid, Libc.SIGTERM);
            if (!processes.WaitForExit(shim, timeout, cancel))
            {
                KillProcesses(record, pod, name, main);
                if (!processes.WaitForExit(shim, ShimExitWait, CancellationToken.None)) processes.Kill(shim);
            }
        }
        else if (main.Pid > 0)
        {
            processes.Terminate(main, timeout, cancel);
        }
        KillProcesses(record, pod, name, main);
    }

    /// <summary>The main process, then whatever is in the container's cgroup (its recorded one, or where it would be when container.json is unreadable).</summary>
    public void KillProcesses(ContainerRecord? record, PodRecord pod, string name, ProcessIdentity main)
    {
        processes.Kill(main);
        var cgroupPath = string.IsNullOrEmpty(record?.CgroupPath) ? PodCgroupLayout.ContainerPath(pod.CgroupPath, name) : record.CgroupPath;
        if (!cgroups.Exists(cgroupPath)) return;
        for (var round = 0; round < KillRounds; round++)
        {
            var left = cgroups.GetProcesses(cgroupPath);
            if (left.Count == 0) return;
            foreach (var pid in left) processes.Signal(pid, Libc.SIGKILL);
            foreach (var pid in left)
            {
                if (processes.ReadStartTime(pid) is { } started)
                {
                    processes.WaitForExit(new ProcessIdentity(pid, started), KilledExitWait, CancellationToken.None);
                }
            }
        }
    }
}
