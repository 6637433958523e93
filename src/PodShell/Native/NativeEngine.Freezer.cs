using System;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Native;

/// <summary>Suspend-Pod and Resume-Pod: the pod's whole cgroup (pause and containers) frozen and thawed.</summary>
public sealed partial class NativeEngine : IPodFreezer
{
    private static readonly TimeSpan FreezeWait = TimeSpan.FromSeconds(10);

    public Pod SuspendPod(string name, CancellationToken cancel)
    {
        RequireRoot();
        var record = LoadPod(name);
        using (_store.LockPod(name, LockTimeout))
        {
            if (!PauseAlive(record))
            {
                throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, name,
                    $"Pod '{name}' is not running, so there is nothing to suspend.", $"Start it first: Start-Pod {name}.");
            }
            if (!Cgroups.SetFrozen(record.CgroupPath, true, FreezeWait))
            {
                Cgroups.SetFrozen(record.CgroupPath, false, FreezeWait);
                throw new PodEngineException(ErrorIds.FreezeFailed, ErrorCategory.OperationTimeout, name,
                    $"The kernel did not finish freezing pod '{name}' within {FreezeWait.TotalSeconds} s (a process may be stuck in an uninterruptible wait); it was thawed again.",
                    "Try again, or see which process is in state D: Get-PodContainer " + name + ".");
            }
        }
        return ToPod(record);
    }

    public Pod ResumePod(string name, CancellationToken cancel)
    {
        RequireRoot();
        var record = LoadPod(name);
        using (_store.LockPod(name, LockTimeout))
        {
            ThawPod(record);
        }
        return ToPod(record);
    }

    /// <summary>Frozen processes cannot handle SIGTERM (and on v1 not even die): stopping a pod thaws it first.</summary>
    private void ThawPod(PodRecord record)
    {
        if (string.IsNullOrEmpty(record.CgroupPath) || !Cgroups.IsFrozen(record.CgroupPath)) return;
        if (!Cgroups.SetFrozen(record.CgroupPath, false, FreezeWait))
        {
            throw new PodEngineException(ErrorIds.FreezeFailed, ErrorCategory.OperationTimeout, record.Name,
                $"The kernel did not finish thawing pod '{record.Name}' within {FreezeWait.TotalSeconds} s.", "Try Resume-Pod again.");
        }
    }

    private bool IsPaused(PodRecord record) => Status.IsPaused(record);

    /// <summary>Container operations wait for Resume-Pod: a frozen process cannot start, stop or run a command.</summary>
    private void RequireNotPaused(PodRecord record)
    {
        if (IsPaused(record))
        {
            throw new PodEngineException(ErrorIds.PodPaused, ErrorCategory.InvalidOperation, record.Name,
                $"Pod '{record.Name}' is paused (Suspend-Pod): its processes are frozen.", $"Resume it first: Resume-Pod {record.Name}.");
        }
    }
}
