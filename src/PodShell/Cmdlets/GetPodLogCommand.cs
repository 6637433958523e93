using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Completion;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Reads containers' logs (CRI format, as kubelet keeps them), like kubectl logs. When the lines of
/// several containers are written together, each starts with [pod/container].
/// </summary>
[Cmdlet(VerbsCommon.Get, "PodLog", DefaultParameterSetName = OneSet)]
[OutputType(typeof(string))]
public sealed class GetPodLogCommand : PodEngineCmdletBase
{
    private const string OneSet = "Container";
    private const string AllSet = "All";
    private readonly List<(IPodEngine Engine, string Pod, string Container)> _targets = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string Pod { get; set; } = "";

    /// <summary>The container; the pod's only one when left out. A PodContainer binds it through ContainerName (a piped Pod's Name is the pod's).</summary>
    [Parameter(Position = 1, ParameterSetName = OneSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string? Container { get; set; }

    /// <summary>Every container of the pod (kubectl's --all-containers), each line prefixed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    [Alias("AllContainers")]
    public SwitchParameter All { get; set; }

    /// <summary>Only the last N lines (of each container).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time: a date, a TimeSpan back from now, or a duration such as 10s, 5m, 2h.</summary>
    [Parameter]
    [SinceTransformation]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Keep reading new lines while the container runs (Ctrl+C to stop).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Start each line with its RFC 3339 timestamp.</summary>
    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    /// <summary>The log of the container's previous run (kubectl logs --previous).</summary>
    [Parameter]
    [Alias("p")]
    public SwitchParameter Previous { get; set; }

    /// <summary>Start each line with [pod/container] even when only one container is read.</summary>
    [Parameter]
    public SwitchParameter Prefix { get; set; }

    protected override void ProcessRecord()
    {
        var engine = FindEngine(Pod);
        if (engine is null) return;
        if (All)
        {
            RunItem(() =>
            {
                foreach (var c in engine.GetContainers(Pod)) _targets.Add((engine, Pod, c.Name));
            });
            return;
        }
        var name = ContainerTarget.Resolve(this, engine, Pod, Container, "-Container");
        if (name is not null) _targets.Add((engine, Pod, name));
    }

    protected override void EndProcessing()
    {
        var prefixed = Prefix || _targets.Count > 1;
        if (Follow && _targets.Count > 1)
        {
            FollowMany(prefixed);
            return;
        }
        var entries = new List<(string Prefix, ContainerLogEntry Entry)>();
        foreach (var (engine, pod, container) in _targets)
        {
            RunItem(() =>
            {
                var label = prefixed ? $"[{pod}/{container}] " : "";
                if (Follow)
                {
                    foreach (var entry in Read(engine, pod, container, follow: true)) Emit(label, entry);
                    return;
                }
                entries.AddRange(Read(engine, pod, container, follow: false).Select(e => (label, e)));
            });
        }
        // Lines of several containers, merged in time order (each container's own order is kept).
        foreach (var (label, entry) in _targets.Count > 1 ? entries.OrderBy(e => e.Entry.Timestamp).ToList() : entries)
        {
            Emit(label, entry);
        }
    }

    private void FollowMany(bool prefixed)
    {
        using var lines = new BlockingCollection<string>();
        var open = _targets.Count;
        var errors = new ConcurrentQueue<Exception>();
        foreach (var (engine, pod, container) in _targets)
        {
            var label = prefixed ? $"[{pod}/{container}] " : "";
            var thread = new Thread(() =>
            {
                try
                {
                    foreach (var entry in Read(engine, pod, container, follow: true)) lines.Add(Format(label, entry));
                }
                catch (OperationCanceledException) { }
                catch (InvalidOperationException) when (lines.IsAddingCompleted) { } // the collection was completed
                catch (Exception e) { errors.Enqueue(e); } // a thread's failure must not take down pwsh: reported below
                finally
                {
                    if (Interlocked.Decrement(ref open) == 0) lines.CompleteAdding();
                }
            }) { IsBackground = true, Name = $"Get-PodLog {pod}/{container}" };
            thread.Start();
        }
        try
        {
            foreach (var line in lines.GetConsumingEnumerable(Cancellation)) WriteObject(line);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        while (errors.TryDequeue(out var e)) WriteError(ErrorBoundary.ToErrorRecord(e));
    }

    private void Emit(string label, ContainerLogEntry entry) => WriteObject(Format(label, entry));

    private string Format(string label, ContainerLogEntry entry) =>
        label + (Timestamps ? entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " + entry.Text : entry.Text);

    /// <summary>A container's log through the engine: entries after -Since, the last -Tail of them, then (with follow) new ones until it stops.</summary>
    private IEnumerable<ContainerLogEntry> Read(IPodEngine engine, string pod, string container, bool follow) =>
        engine.ReadLog(pod, container, new LogQuery { Tail = Tail, Since = Since, Follow = follow, Timestamps = Timestamps, Previous = Previous }, Cancellation);
}
