using System;
using System.Collections.Generic;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Native;
using PodShell.Native.Status;
using PodShell.Protocol;
using PodShell.State;
using Xunit;

namespace PodShell.Tests.Native;

/// <summary>Every combination of a container's records and observed facts, and the state Get-PodContainer shows for it.</summary>
public class ContainerStatusMapperTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Finished = Started.AddMinutes(1);

    private static ContainerRecord Record(bool complete = true) => new()
    {
        Name = "app",
        Id = "c0ffee",
        Image = HostImage.Name,
        Args = new List<string> { "sleep", "infinity" },
        CgroupPath = "podshell/burstable/pod1/app",
        ShimPid = 4000,
        ShimStartTime = 7,
        Complete = complete,
    };

    private static ContainerObservation Seen(ContainerRecord? record = null, ContainerStatus? status = null, string? statusProblem = null,
        bool shimAlive = false, bool mainAlive = false, bool paused = false, string? recordProblem = null) => new()
    {
        PodName = "foo",
        Name = "app",
        StateDirectory = "/run/podshell/pods/foo/containers/app",
        LogPath = "/run/podshell/pods/foo/containers/app/container.log",
        Record = record,
        RecordProblem = recordProblem,
        Status = status,
        StatusProblem = statusProblem,
        ShimAlive = shimAlive,
        MainAlive = mainAlive,
        PodPaused = paused,
    };

    private static ContainerStatus Running(int restarts = 0) => new() { State = ContainerRunState.Running, Pid = 4001, PidStartTime = 8, StartedAt = Started, RestartCount = restarts };

    private static ContainerStatus Exited(int code, string reason) => new()
    {
        State = ContainerRunState.Exited, Pid = 4001, StartedAt = Started, FinishedAt = Finished, ExitCode = code, Reason = reason,
    };

    [Fact]
    public void NoStatusYetIsCreated()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record()));
        Assert.Equal(ContainerState.Created, c.State);
        Assert.Null(c.Pid);
        Assert.Null(c.ExitCode);
        Assert.Null(c.Reason);
        Assert.Equal(0, c.RestartCount);
    }

    [Fact]
    public void RunningWithItsShimShowsThePid()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), Running(restarts: 2), shimAlive: true));
        Assert.Equal(ContainerState.Running, c.State);
        Assert.Equal(4001, c.Pid);
        Assert.Null(c.Reason);
        Assert.Null(c.ExitCode);
        Assert.Null(c.FinishedAt);
        Assert.Equal(Started, c.StartedAt);
        Assert.Equal(2, c.RestartCount);
    }

    [Fact]
    public void RunningInAFrozenPodIsPaused()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), Running(), shimAlive: true, paused: true));
        Assert.Equal(ContainerState.Paused, c.State);
        Assert.Equal(4001, c.Pid);
        Assert.Null(c.ExitCode);
    }

    [Fact]
    public void RunningAfterItsShimDiedIsShimLost()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), Running(), shimAlive: false, mainAlive: true));
        Assert.Equal(ContainerState.Running, c.State);
        Assert.Equal(4001, c.Pid);
        Assert.Equal(ContainerStatusMapper.ShimLostReason, c.Reason);
        Assert.Contains("pid 4000", c.Message);
        Assert.Contains("Start-PodContainer -Pod foo -Name app", c.Message);
    }

    [Fact]
    public void RunningWithShimAndProcessGoneExitedUnknown()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), Running(), shimAlive: false, mainAlive: false));
        Assert.Equal(ContainerState.Exited, c.State);
        Assert.Equal(ContainerStatusMapper.UnknownReason, c.Reason);
        Assert.Null(c.Pid);
        Assert.Null(c.ExitCode);
    }

    [Fact]
    public void WaitingForARestartKeepsItsReason()
    {
        var status = new ContainerStatus { State = ContainerRunState.Waiting, Reason = "CrashLoopBackOff", ExitCode = 1, RestartCount = 3 };
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), status, shimAlive: true));
        Assert.Equal(ContainerState.Waiting, c.State);
        Assert.Equal("CrashLoopBackOff", c.Reason);
        Assert.Equal(1, c.ExitCode);
        Assert.Equal(3, c.RestartCount);
    }

    [Fact]
    public void WaitingWhoseShimDiedIsExitedWithTheLastReason()
    {
        var status = new ContainerStatus { State = ContainerRunState.Waiting, Reason = "CrashLoopBackOff" };
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), status, shimAlive: false));
        Assert.Equal(ContainerState.Exited, c.State);
        Assert.Equal("CrashLoopBackOff", c.Reason);
    }

    [Theory]
    [InlineData(0, "Completed")]
    [InlineData(3, "Error")]
    [InlineData(137, "OOMKilled")]
    public void ExitedShowsCodeReasonAndEnd(int code, string reason)
    {
        foreach (var shimAlive in new[] { true, false })
        {
            var c = ContainerStatusMapper.ToContainer(Seen(Record(), Exited(code, reason), shimAlive: shimAlive));
            Assert.Equal(ContainerState.Exited, c.State);
            Assert.Equal(code, c.ExitCode);
            Assert.Equal(reason, c.Reason);
            Assert.Equal(Finished, c.FinishedAt);
            Assert.Null(c.Pid);
        }
    }

    [Fact]
    public void UnreadableStatusIsUnknownWithTheReason()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(), status: null, statusProblem: "status.json is not JSON."));
        Assert.Equal(ContainerState.Unknown, c.State);
        Assert.Equal(ContainerStatusMapper.StateUnreadableReason, c.Reason);
        Assert.Equal("Its status cannot be read: status.json is not JSON.", c.Message);
        Assert.Null(c.ExitCode);
        Assert.Null(c.StartedAt);
    }

    [Fact]
    public void UnreadableRecordIsStillListed()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(record: null, recordProblem: "container.json is empty."));
        Assert.Equal(ContainerState.Unknown, c.State);
        Assert.Equal(ContainerStatusMapper.StateUnreadableReason, c.Reason);
        Assert.Equal("Its state cannot be read: container.json is empty.", c.Message);
        Assert.Equal("app", c.Name);
        var details = Assert.IsType<NativeContainerDetails>(c.EngineDetails);
        Assert.EndsWith("container.log", details.LogPath);
    }

    [Fact]
    public void AContainerBeingMadeIsUnknownCreating()
    {
        var c = ContainerStatusMapper.ToContainer(Seen(Record(complete: false), Running(), shimAlive: true));
        Assert.Equal(ContainerState.Unknown, c.State);
        Assert.Equal(ContainerStatusMapper.CreatingReason, c.Reason);
        Assert.Null(c.Pid);
    }

    [Fact]
    public void RecordFieldsAndEngineDetailsCarryOver()
    {
        var record = Record();
        record.LowerDirs = new List<string> { "/img/l2", "/img/l1" };
        record.RawCgroup = new RawCgroupValues { CpuShares = 512, Unified = { ["memory.high"] = "100M" } };
        record.MemoryLimit = 64 << 20;
        var c = ContainerStatusMapper.ToContainer(Seen(record, Running(), shimAlive: true));
        Assert.Equal("/podshell/burstable/pod1/app", c.CgroupPath);
        Assert.Equal(new[] { "sleep", "infinity" }, c.Command);
        Assert.Equal(64L << 20, c.MemoryLimit);
        Assert.Equal("512", c.CgroupOverrides["cpu.shares"]);
        Assert.Equal("100M", c.CgroupOverrides["memory.high"]);
        Assert.Equal("/img/l2:/img/l1", Assert.IsType<NativeContainerDetails>(c.EngineDetails).RootFs);
        Assert.Equal("/", Assert.IsType<NativeContainerDetails>(ContainerStatusMapper.ToContainer(Seen(Record())).EngineDetails).RootFs);
    }
}
