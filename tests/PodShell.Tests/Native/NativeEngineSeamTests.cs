using System;
using System.IO;
using System.Linq;
using System.Threading;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native;
using PodShell.Protocol;
using PodShell.State;
using PodShell.Tests.Fakes;
using Xunit;

namespace PodShell.Tests.Native;

/// <summary>
/// The native engine driven through its seams: podshell-init, the process table and the root check are fakes, the
/// state folder and cgroups are temp folders. What a pod's orchestration does is seen without root or a kernel.
/// </summary>
public sealed class NativeEngineSeamTests : IDisposable
{
    private const int PausePid = 424242;
    private readonly TempDirectory _state = new();
    private readonly CgroupFixture _cgroups = CgroupFixture.CreateV1();
    private readonly FakeInitRunner _init = new();
    private readonly FakeProcessTable _processes = new();

    public NativeEngineSeamTests()
    {
        _init.Answer(_ =>
        {
            var pause = _processes.Start(PausePid, startTime: 99);
            return new SandboxResult { Ok = true, PausePid = pause.Pid, PauseStartTime = pause.StartTime };
        });
    }

    private NativeEngine Engine(bool root) =>
        new(new StateStore(_state.Path), CgroupFileSystem(), _init, _processes, new FakePrivilegeCheck(root));

    private PodShell.Cgroups.CgroupFileSystem CgroupFileSystem() => _cgroups.Manager.FileSystem;

    private const string PodCgroup = "podshell/besteffort/podu1";

    private static PodCreateRequest Request() => new() { Name = "foo", Uid = "u1", Network = "None" };

    /// <summary>The kernel's part: a cgroup's files appear with its mkdir. Made ahead here, where the engine's mkdir finds them.</summary>
    private void KernelMakesPodCgroups()
    {
        _cgroups.Make(PodCgroup);
        _cgroups.Make(PodCgroup + "/pause");
    }

    [Fact]
    public void NotRootIsRefusedBeforeAnythingIsMade()
    {
        var error = Assert.Throws<PodEngineException>(() => Engine(root: false).CreatePod(Request(), CancellationToken.None));
        Assert.Equal(ErrorIds.RootRequired, error.ErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, error.Category);
        Assert.Empty(_init.Runs);
        Assert.False(Directory.Exists(Path.Combine(_state.Path, "pods", "foo")));
        Assert.False(Directory.Exists(Path.Combine(_cgroups.Root, "memory", "podshell")));
    }

    [Fact]
    public void EveryChangingVerbChecksForRoot()
    {
        var engine = Engine(root: false);
        var verbs = new Action[]
        {
            () => engine.StartPod("foo", CancellationToken.None),
            () => engine.StopPod("foo", TimeSpan.Zero, CancellationToken.None),
            () => engine.RemovePod("foo", force: true, TimeSpan.Zero, CancellationToken.None),
            () => engine.StartContainer("foo", "app", CancellationToken.None),
            () => engine.StopContainer("foo", "app", TimeSpan.Zero, CancellationToken.None),
        };
        foreach (var verb in verbs) Assert.Equal(ErrorIds.RootRequired, Assert.Throws<PodEngineException>(verb).ErrorId);
    }

    [Fact]
    public void ASandboxIsMadeStartedAndStoppedThroughTheSeams()
    {
        KernelMakesPodCgroups();
        var engine = Engine(root: true);
        var pod = engine.CreatePod(Request(), CancellationToken.None);

        Assert.Equal(PodState.Ready, pod.State);
        Assert.Equal(PausePid, pod.PausePid);
        Assert.Equal("sandbox", _init.Runs.Single()[0]);
        // A BestEffort pod's cgroup got kubelet's minimum shares, and the sandbox was told to join the pause leaf.
        Assert.Equal("/" + PodCgroup, pod.CgroupPath);
        Assert.Equal("2", _cgroups.Read("cpu,cpuacct", PodCgroup, "cpu.shares"));
        var spec = StateStore.Read<SandboxSpec>(Path.Combine(_state.Path, "pods", "foo", "sandbox.json"))!;
        Assert.Contains(Path.Combine(_cgroups.Root, "memory", PodCgroup, "pause", "cgroup.procs"), spec.CgroupProcs);

        var stopped = engine.StopPod("foo", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(PodState.NotReady, stopped.State);
        Assert.Null(stopped.PausePid);
        Assert.Contains((PausePid, Libc.SIGTERM), _processes.Signals);
    }

    [Fact]
    public void APauseThatDiedMakesThePodNotReady()
    {
        KernelMakesPodCgroups();
        var engine = Engine(root: true);
        engine.CreatePod(Request(), CancellationToken.None);
        _processes.Exit(PausePid);
        Assert.Equal(PodState.NotReady, engine.GetPod("foo")!.State);
    }

    /// <summary>The shim's part of shim-run: it starts the container, writes status.json, and answers with both pids.</summary>
    private void ShimStartsContainers()
    {
        _init.Answer(arguments =>
        {
            var shim = _processes.Start(ShimPid, startTime: 11);
            var main = _processes.Start(MainPid, startTime: 12);
            var directory = Path.GetDirectoryName(arguments[2])!;
            StateStore.Write(Path.Combine(directory, "status.json"), new ContainerStatus
            {
                State = ContainerRunState.Running, Pid = main.Pid, PidStartTime = main.StartTime, ShimPid = shim.Pid, ShimStartTime = shim.StartTime,
                StartedAt = DateTimeOffset.UtcNow,
            });
            return new StartResult { Ok = true, ShimPid = shim.Pid, ShimStartTime = shim.StartTime, Pid = main.Pid, PidStartTime = main.StartTime };
        });
    }

    private const int ShimPid = 434343, MainPid = 434344;

    [Fact]
    public void AContainerRunsExecsAndStopsThroughTheSeams()
    {
        KernelMakesPodCgroups();
        _cgroups.Make(PodCgroup + "/app");
        var engine = Engine(root: true);
        engine.CreatePod(Request(), CancellationToken.None);
        ShimStartsContainers();

        var container = engine.AddContainer("foo", new ContainerCreateRequest { Name = "app", Args = { "sleep", "infinity" } }, start: true, CancellationToken.None);
        Assert.Equal(ContainerState.Running, container.State);
        Assert.Equal(MainPid, container.Pid);
        var spec = StateStore.Read<ContainerSpec>(Path.Combine(_state.Path, "pods", "foo", "containers", "app", "config.json"))!;
        Assert.Equal(PausePid, spec.PausePid);
        Assert.Contains(Path.Combine(_cgroups.Root, "pids", PodCgroup, "app", "cgroup.procs"), spec.CgroupProcs);

        _init.ExecAnswer = (request, output) =>
        {
            output.Write(ExecStream.Stdout, System.Text.Encoding.UTF8.GetBytes(string.Join(' ', request.Command)));
            return 3;
        };
        var written = new CollectingOutput();
        Assert.Equal(3, engine.Exec("foo", "app", new ExecRequest { Command = new[] { "echo", "hi" } }, written, CancellationToken.None));
        Assert.Equal("echo hi", written.Text);
        Assert.Equal(new[] { "exec", "--pid", MainPid.ToString() }, new[] { _init.Runs[^1][0], _init.Runs[^1][3], _init.Runs[^1][4] });

        var stopped = engine.StopContainer("foo", "app", TimeSpan.FromSeconds(5), CancellationToken.None);
        // SIGTERM to the shim (it forwards it and does not restart), then SIGKILL to what is left of the container.
        Assert.Equal((ShimPid, Libc.SIGTERM), _processes.Signals[0]);
        Assert.Contains((MainPid, Libc.SIGKILL), _processes.Signals);
        Assert.Equal(ContainerState.Exited, stopped.State);
        Assert.Null(stopped.Pid);

        var notRunning = Assert.Throws<PodEngineException>(() => engine.Exec("foo", "app", new ExecRequest { Command = new[] { "true" } }, written, CancellationToken.None));
        Assert.Equal(ErrorIds.ContainerNotRunning, notRunning.ErrorId);
    }

    private sealed class CollectingOutput : IExecOutput
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void Write(ExecStream stream, ReadOnlySpan<byte> data) => _text.Append(System.Text.Encoding.UTF8.GetString(data));
    }

    public void Dispose()
    {
        _cgroups.Dispose();
        _state.Dispose();
    }
}
