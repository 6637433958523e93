using System;
using System.Collections.Generic;
using PodShell.Model;
using PodShell.Native;
using PodShell.Native.Status;
using PodShell.State;
using Xunit;

namespace PodShell.Tests.Native;

public class PodStatusMapperTests
{
    private static PodRecord Record(bool complete = true, NamespaceMode network = NamespaceMode.Pod, string? networkName = "podshell") => new()
    {
        Name = "foo",
        Uid = "u1",
        Hostname = "foo",
        CgroupPath = "podshell/besteffort/podu1",
        PausePid = 3000,
        PauseStartTime = 5,
        Complete = complete,
        Namespaces = new PodNamespaceModes { Network = network },
        Network = networkName,
        IPs = new List<string> { "fd00::5", "10.88.0.5" },
    };

    private static Pod Map(PodRecord record, bool alive, bool paused = false, params string[] nodeAddresses) => PodStatusMapper.ToPod(new PodObservation
    {
        Record = record,
        StateDirectory = "/run/podshell/pods/foo",
        PauseAlive = alive,
        Paused = paused,
        NodeAddresses = nodeAddresses,
    });

    [Fact]
    public void ARunningSandboxIsReadyWithItsAddressesAndNetns()
    {
        var pod = Map(Record(), alive: true);
        Assert.Equal(PodState.Ready, pod.State);
        Assert.Equal(3000, pod.PausePid);
        Assert.Equal("10.88.0.5", pod.IP); // IPv4 first, as kubelet's primary pod IP
        Assert.Equal(new[] { "fd00::5", "10.88.0.5" }, pod.IPs);
        Assert.Equal("/run/podshell/pods/foo/netns", Assert.IsType<NativePodDetails>(pod.EngineDetails).NetworkNamespacePath);
    }

    [Fact]
    public void ADeadSandboxIsNotReadyAndHasNoAddress()
    {
        var pod = Map(Record(), alive: false);
        Assert.Equal(PodState.NotReady, pod.State);
        Assert.Null(pod.PausePid);
        Assert.Null(pod.IP);
        Assert.Empty(pod.IPs);
        Assert.Null(Assert.IsType<NativePodDetails>(pod.EngineDetails).NetworkNamespacePath);
    }

    [Fact]
    public void AFrozenPodIsPaused() => Assert.Equal(PodState.Paused, Map(Record(), alive: true, paused: true).State);

    [Fact]
    public void APodBeingMadeIsCreating()
    {
        var pod = PodStatusMapper.ToPod(new PodObservation { Record = Record(complete: false), StateDirectory = "/run/podshell/pods/foo", PauseAlive = true, CreateInProgress = true });
        Assert.Equal(PodState.Creating, pod.State);
        Assert.Null(pod.Message);
    }

    [Fact]
    public void APodWhoseCreateWasInterruptedIsUnknown()
    {
        var pod = Map(Record(complete: false), alive: true);
        Assert.Equal(PodState.Unknown, pod.State);
        Assert.Equal(PodStatusMapper.InterruptedCreate, pod.Message);
    }

    [Fact]
    public void APodOnTheNodesNetworkHasTheNodesAddresses()
    {
        var pod = Map(Record(network: NamespaceMode.Node, networkName: null), alive: true, paused: false, "192.168.1.9");
        Assert.Equal(PodStatusMapper.NetworkHost, pod.Network);
        Assert.Equal("192.168.1.9", pod.IP);
        Assert.Null(Assert.IsType<NativePodDetails>(pod.EngineDetails).NetworkNamespacePath);
    }

    [Fact]
    public void APodWithoutNetworkNamedIsNone() =>
        Assert.Equal(PodStatusMapper.NetworkNone, Map(Record(networkName: null), alive: true).Network);

    [Fact]
    public void AnUnreadablePodIsUnknownWithTheReason()
    {
        var pod = PodStatusMapper.Unreadable("foo", "/run/podshell/pods/foo", "pod.json is empty.");
        Assert.Equal(PodState.Unknown, pod.State);
        Assert.Equal("Its state cannot be read: pod.json is empty.", pod.Message);
    }
}
