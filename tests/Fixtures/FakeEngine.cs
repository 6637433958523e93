// A fake engine adapter for tests/Pester/Engine-Fake.Tests.ps1: compiled there with Add-Type into
// PodShell.FakeAdapter.dll, dropped into the module's Dependencies folder and registered through
// EngineRegistry.RegisterAdapter, so the cmdlets run against it through the contract alone.
#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.FakeAdapter;

public sealed class FakeEngineFactory : IPodEngineFactory
{
    public PodEngineKind Kind => PodEngineKind.Docker;
    public IPodEngine Create() => FakeEngine.Instance;
}

public sealed class FakeEngine : IPodEngine
{
    public static readonly FakeEngine Instance = new();
    public const string PodName = "fake-pod";
    public static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public ExecRequest? LastExec { get; private set; }
    public LogQuery? LastLogQuery { get; private set; }
    public List<string> Calls { get; } = new();

    public PodEngineKind Kind => PodEngineKind.Docker;

    private static Pod MakePod() => new()
    {
        Name = PodName, Id = new string('f', 64), Uid = "fake-uid", Engine = PodEngineKind.Docker, State = PodState.Ready,
        Containers = new[] { MakeContainer() },
    };

    private static PodContainer MakeContainer() => new() { PodName = PodName, Name = "app", State = ContainerState.Running, Command = new[] { "sleep" } };

    public Pod CreatePod(PodCreateRequest request, CancellationToken cancel) => throw new NotSupportedException();
    public IEnumerable<Pod> GetPods() => new[] { MakePod() };
    public Pod? GetPod(string name) => name == PodName ? MakePod() : null;
    public bool HasPod(string name) => name == PodName;
    public Pod StartPod(string name, CancellationToken cancel) => MakePod();
    public Pod StopPod(string name, TimeSpan timeout, CancellationToken cancel) => MakePod();
    public void RemovePod(string name, bool force, TimeSpan timeout, CancellationToken cancel) { }
    public PodContainer AddContainer(string pod, ContainerCreateRequest request, bool start, CancellationToken cancel) => throw new NotSupportedException();
    public IEnumerable<PodContainer> GetContainers(string pod) => new[] { MakeContainer() };
    public PodContainer StartContainer(string pod, string name, CancellationToken cancel) => MakeContainer();
    public PodContainer StopContainer(string pod, string name, TimeSpan timeout, CancellationToken cancel) => MakeContainer();
    public void RemoveContainer(string pod, string name, bool force, TimeSpan timeout, CancellationToken cancel) { }
    public PodContainer UpdateResources(string pod, string container, ResourceUpdate update, CancellationToken cancel) => MakeContainer();

    /// <summary>Echoes its arguments on stdout in small pieces (a line cut across writes), "to-stderr" on stderr; exits with the number after "exit", if any.</summary>
    public int Exec(string pod, string container, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        Calls.Add($"Exec {pod}/{container}");
        LastExec = request;
        if (container != "app") throw PodEngineException.ContainerNotFound(pod, container);
        var text = Encoding.UTF8.GetBytes(string.Join(" ", request.Command) + "\nsecond line\n");
        for (var i = 0; i < text.Length; i += 3) output.Write(ExecStream.Stdout, new ReadOnlySpan<byte>(text, i, Math.Min(3, text.Length - i)));
        output.Write(ExecStream.Stderr, Encoding.UTF8.GetBytes("to-stderr\n"));
        var exit = request.Command.ToList().IndexOf("exit");
        return exit >= 0 && exit + 1 < request.Command.Count ? int.Parse(request.Command[exit + 1]) : 0;
    }

    /// <summary>Five entries a second apart, honouring Tail and Since.</summary>
    public IEnumerable<ContainerLogEntry> ReadLog(string pod, string container, LogQuery query, CancellationToken cancel)
    {
        Calls.Add($"ReadLog {pod}/{container}");
        LastLogQuery = query;
        if (container != "app") throw PodEngineException.ContainerNotFound(pod, container);
        var all = Enumerable.Range(0, 5)
            .Select(i => new ContainerLogEntry(Start.AddSeconds(i).AddTicks(1234567), i == 2 ? LogStream.Stderr : LogStream.Stdout, $"entry {i}"))
            .Where(e => query.Since is null || e.Timestamp >= query.Since)
            .ToList();
        return query.Tail is { } tail ? all.Skip(Math.Max(0, all.Count - tail)) : all;
    }
}
