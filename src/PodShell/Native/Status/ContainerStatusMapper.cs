using System.Collections.Generic;
using System.Globalization;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Protocol;

namespace PodShell.Native.Status;

/// <summary>
/// A container's state from its records and the observed facts, as kubelet reads a runtime's container status:
/// a pure function, so every combination (created, running, waiting, exited with its code, OOMKilled, shim
/// lost, unreadable files, paused) is tested without a kernel.
/// </summary>
internal static class ContainerStatusMapper
{
    /// <summary>The Reason of a container that runs on after its shim died (killed, OOM): Start-PodContainer restarts it.</summary>
    public const string ShimLostReason = "ShimLost";
    public const string StateUnreadableReason = "StateUnreadable";
    public const string CreatingReason = "Creating";
    public const string UnknownReason = "Unknown";

    public static PodContainer ToContainer(ContainerObservation seen)
    {
        var record = seen.Record;
        if (record is null)
        {
            // Never hidden: shown as Unknown with the reason, so Remove-PodContainer -Force and Remove-Pod -Force still reach it.
            return new PodContainer
            {
                PodName = seen.PodName,
                Name = seen.Name,
                State = ContainerState.Unknown,
                Reason = StateUnreadableReason,
                Message = $"Its state cannot be read: {seen.RecordProblem?.TrimEnd('.')}.",
                EngineDetails = new NativeContainerDetails { StateDirectory = seen.StateDirectory, LogPath = seen.LogPath },
            };
        }
        var status = seen.Status;
        var state = ContainerState.Created;
        int? pid = null;
        var reason = status?.Reason;
        var message = status?.Message;
        if (!record.Complete)
        {
            state = ContainerState.Unknown;
            reason = CreatingReason;
        }
        else if (seen.StatusProblem is not null)
        {
            state = ContainerState.Unknown;
            reason = StateUnreadableReason;
            status = new ContainerStatus();
            message = $"Its status cannot be read: {seen.StatusProblem.TrimEnd('.')}.";
        }
        else if (status is not null)
        {
            switch (status.State)
            {
                // Between the container's exit and the shim writing it down, the shim's word still stands.
                case ContainerRunState.Running when seen.ShimAlive:
                    state = seen.PodPaused ? ContainerState.Paused : ContainerState.Running;
                    pid = status.Pid;
                    break;
                case ContainerRunState.Running when seen.MainAlive:
                    // Running, but unwatched: nothing logs its output, records its exit or applies its restart policy.
                    state = ContainerState.Running;
                    pid = status.Pid;
                    reason = ShimLostReason;
                    message = $"Its shim (pid {record.ShimPid}) is gone: its output is not logged and its restart policy is not applied. Start-PodContainer -Pod {seen.PodName} -Name {seen.Name} takes it back (restarts it).";
                    break;
                case ContainerRunState.Waiting when seen.ShimAlive:
                    state = ContainerState.Waiting;
                    break;
                case ContainerRunState.Running or ContainerRunState.Waiting:
                    // The shim died without recording how the container ended.
                    state = ContainerState.Exited;
                    reason ??= UnknownReason;
                    break;
                default:
                    state = ContainerState.Exited;
                    break;
            }
        }
        var running = state is ContainerState.Running or ContainerState.Paused;
        return new PodContainer
        {
            PodName = seen.PodName,
            Name = record.Name,
            Id = record.Id,
            Image = record.Image,
            ImageId = record.ImageId,
            ImageDigest = record.ImageDigest,
            Command = record.Args.ToArray(),
            State = state,
            Pid = pid,
            ExitCode = running ? null : status?.ExitCode,
            Reason = running && reason != ShimLostReason ? null : reason,
            Message = message,
            RestartCount = status?.RestartCount ?? 0,
            RestartPolicy = record.RestartPolicy,
            PidMode = record.PidMode,
            CreatedAt = record.CreatedAt,
            StartedAt = status?.StartedAt,
            FinishedAt = running ? null : status?.FinishedAt,
            MemoryLimit = record.MemoryLimit,
            CpuLimitMilli = record.CpuLimitMilli,
            MemoryRequest = record.MemoryRequest,
            CpuRequestMilli = record.CpuRequestMilli,
            PidsLimit = record.PidsLimit,
            CgroupOverrides = RawCgroupFiles(record.RawCgroup),
            CgroupPath = "/" + record.CgroupPath,
            Environment = new Dictionary<string, string>(record.Environment),
            WorkingDirectory = record.WorkingDirectory,
            User = record.User,
            Mounts = record.Mounts.ToArray(),
            Role = record.Role,
            Security = ContainerSecurity.View(record),
            EngineDetails = new NativeContainerDetails
            {
                StateDirectory = seen.StateDirectory,
                LogPath = seen.LogPath,
                RootFs = record.LowerDirs is { Count: > 0 } layers ? string.Join(':', layers) : record.Image == HostImage.Name ? "/" : record.Image,
            },
        };
    }

    /// <summary>The raw cgroup files Set-PodCgroupLimit set on the container, by file name.</summary>
    private static Dictionary<string, string> RawCgroupFiles(RawCgroupValues? raw)
    {
        var files = new Dictionary<string, string>();
        if (raw is null) return files;
        if (raw.CpuShares is { } shares) files["cpu.shares"] = shares.ToString(CultureInfo.InvariantCulture);
        if (raw.CpuWeight is { } weight) files["cpu.weight"] = weight.ToString(CultureInfo.InvariantCulture);
        foreach (var (file, value) in raw.Unified) files[file] = value;
        return files;
    }
}
