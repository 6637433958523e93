using System;
using System.IO;
using System.Linq;
using PodShell.Cgroups;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Host;
using PodShell.Protocol;
using PodShell.Network;
using PodShell.State;

namespace PodShell.Native.Status;

/// <summary>
/// Gathers what the mappers need, and no more: the records, the shims' status files, and the kernel's answers
/// (is the pause alive, is the shim alive, is the pod frozen), asked only where the answer changes the state.
/// </summary>
internal sealed class StatusReader(StateStore store, CgroupManager cgroups, IProcessTable processes)
{
    public bool IsPauseAlive(PodRecord record) => processes.IsAlive(record.PauseProcess());

    public bool IsShimAlive(PodRecord pod, string name) =>
        store.ReadContainer(pod.Name, name) is { } record && processes.IsAlive(record.ShimProcess());

    /// <summary>The pod's cgroup is frozen (Suspend-Pod).</summary>
    public bool IsPaused(PodRecord record) => !string.IsNullOrEmpty(record.CgroupPath) && cgroups.IsFrozen(record.CgroupPath);

    public Pod ReadPod(PodRecord record)
    {
        var alive = IsPauseAlive(record);
        var frozen = new Lazy<bool>(() => IsPaused(record));
        var directory = store.PodDirectory(record.Name);
        return PodStatusMapper.ToPod(new PodObservation
        {
            Record = record,
            StateDirectory = directory,
            PauseAlive = alive,
            CreateInProgress = !record.Complete && store.IsPodLocked(record.Name),
            Paused = record.Complete && alive && frozen.Value,
            Containers = store.ListContainerNames(record.Name).Select(n => ReadContainer(record, n, frozen)).OfType<PodContainer>().ToArray(),
            NodeAddresses = alive && PodStatusMapper.NetworkName(record) == PodStatusMapper.NetworkHost ? NodeAddresses.Primary().ToList() : Array.Empty<string>(),
        });
    }

    /// <summary>The container as users see it; null when its folder is gone.</summary>
    public PodContainer? ReadContainer(PodRecord pod, string name) => ReadContainer(pod, name, new Lazy<bool>(() => IsPaused(pod)));

    private PodContainer? ReadContainer(PodRecord pod, string name, Lazy<bool> podFrozen)
    {
        var directory = store.ContainerDirectory(pod.Name, name);
        var record = store.ReadContainer(pod.Name, name, out var problem);
        if (record is null && !Directory.Exists(directory)) return null;
        var seen = new ContainerObservation
        {
            PodName = pod.Name,
            Name = name,
            StateDirectory = directory,
            LogPath = store.ContainerLogPath(pod.Name, name),
            Record = record,
            RecordProblem = problem,
        };
        if (record is null) return ContainerStatusMapper.ToContainer(seen);

        var status = store.ReadStatus(pod.Name, name, out var statusProblem);
        bool shimAlive = false, mainAlive = false;
        if (record.Complete && statusProblem is null && status is not null)
        {
            shimAlive = processes.IsAlive(record.ShimProcess());
            if (!shimAlive && status.State is ContainerRunState.Running or ContainerRunState.Waiting)
            {
                // The shim writes down the container's end and then exits: a status read before that write and a
                // liveness check after it disagree. Read it once more before calling the shim lost.
                var again = store.ReadStatus(pod.Name, name, out var againProblem);
                if (againProblem is null && again is not null) status = again;
            }
            if (!shimAlive && status.State == ContainerRunState.Running) mainAlive = processes.IsAlive(new ProcessIdentity(status.Pid, status.PidStartTime));
        }
        return ContainerStatusMapper.ToContainer(seen with
        {
            Status = status,
            StatusProblem = statusProblem,
            ShimAlive = shimAlive,
            MainAlive = mainAlive,
            PodPaused = shimAlive && status?.State == ContainerRunState.Running && podFrozen.Value,
        });
    }
}
