using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Live resource usage per container (or per pod with -ByPod), like crictl stats / statsp and docker stats: cpu over
/// an interval from the cgroups' cumulative counters, memory working set, pids. -Watch refreshes until Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PodStats")]
[OutputType(typeof(PodStats))]
public sealed class GetPodStatsCommand : PodEngineCmdletBase
{
    /// <summary>Pods (objects or names); every pod when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [PodTransformation]
    [ValidateNotNullOrEmpty]
    public Pod[]? Pod { get; set; }

    /// <summary>Only these containers (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Container { get; set; }

    /// <summary>One row per pod (its whole cgroup: pause and containers), like crictl statsp.</summary>
    [Parameter]
    public SwitchParameter ByPod { get; set; }

    /// <summary>Seconds between the two readings the cpu figure is computed from (and between refreshes with -Watch).</summary>
    [Parameter]
    [ValidateRange(0.05, 3600)]
    public double Interval { get; set; } = 1;

    /// <summary>Refresh until Ctrl+C: redrawn in place on a terminal; objects every interval when piped.</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>Where the cgroup file systems are mounted (a fixture folder in tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CgroupRoot { get; set; } = CgroupFileSystem.DefaultRoot;

    private readonly List<Pod> _pods = new();
    private bool _sawInput;
    private CgroupFileSystem? _fs;

    private sealed record Target(string Pod, string Container, string CgroupPath);

    protected override void BeginProcessing()
    {
        string root = GetUnresolvedProviderPathFromPSPath(CgroupRoot);
        try
        {
            _fs = CgroupFileSystem.Detect(root);
        }
        catch (Exception e) when (e is PodShellException or DirectoryNotFoundException)
        {
            ThrowTerminating(ErrorIds.CgroupFileSystemNotFound, ErrorCategory.ObjectNotFound, CgroupRoot, e.Message,
                "Point -CgroupRoot at the folder where cgroup file systems are mounted (usually /sys/fs/cgroup).", e);
        }
    }

    protected override void ProcessRecord()
    {
        if (Pod is null) return;
        _sawInput = true;
        _pods.AddRange(Pod);
    }

    protected override void EndProcessing()
    {
        if (!_sawInput)
        {
            try
            {
                foreach (var engine in EngineRegistry.All()) _pods.AddRange(engine.GetPods());
            }
            catch (PodEngineException e)
            {
                WriteEngineError(e);
                return;
            }
        }
        bool draw = Watch && MyInvocation.PipelinePosition == MyInvocation.PipelineLength && Host.UI.RawUI is not null;
        var previous = new Dictionary<Target, CgroupUsage>();
        var interval = TimeSpan.FromSeconds(Interval);
        do
        {
            var targets = Targets(Watch ? Refresh() : _pods);
            if (previous.Count == 0)
            {
                foreach (var t in targets) previous[t] = CgroupUsage.Read(_fs!, t.CgroupPath);
            }
            if (Cancellation.WaitHandle.WaitOne(interval)) throw new PipelineStoppedException();
            var rows = new List<PodStats>();
            var current = new Dictionary<Target, CgroupUsage>();
            foreach (var t in targets)
            {
                var now = CgroupUsage.Read(_fs!, t.CgroupPath);
                if (!now.Exists) continue;
                current[t] = now;
                rows.Add(ToStats(t, previous.TryGetValue(t, out var before) ? before : null, now));
            }
            previous = current;
            if (draw) Draw(rows);
            else foreach (var row in rows) WriteObject(row);
        } while (Watch);
    }

    /// <summary>With -Watch, pods made or removed meanwhile come and go.</summary>
    private List<Pod> Refresh()
    {
        if (!_sawInput) return EngineRegistry.All().SelectMany(e => e.GetPods()).ToList();
        return _pods.Select(p => EngineRegistry.Owner(p.Name)?.GetPod(p.Name)).OfType<Pod>().ToList();
    }

    private List<Target> Targets(IEnumerable<Pod> pods)
    {
        var patterns = Container?.Select(c => new WildcardPattern(c, WildcardOptions.IgnoreCase)).ToArray();
        var targets = new List<Target>();
        foreach (var pod in pods)
        {
            if (ByPod)
            {
                targets.Add(new Target(pod.Name, "", pod.CgroupPath));
                continue;
            }
            foreach (var c in pod.Containers)
            {
                if (patterns is not null && !patterns.Any(p => p.IsMatch(c.Name))) continue;
                if (string.IsNullOrEmpty(c.CgroupPath)) continue;
                targets.Add(new Target(pod.Name, c.Name, c.CgroupPath));
            }
        }
        return targets;
    }

    private static PodStats ToStats(Target t, CgroupUsage? before, CgroupUsage now)
    {
        double? percent = null;
        TimeSpan elapsed = TimeSpan.Zero;
        if (before is not null && before.CpuUsageNanoseconds is { } a && now.CpuUsageNanoseconds is { } b && now.Ticks > before.Ticks)
        {
            elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(before.Ticks, now.Ticks);
            percent = b >= a ? (b - a) / (elapsed.TotalMilliseconds * 1e6) * 100 : 0;
        }
        return new PodStats
        {
            PodName = t.Pod,
            Name = t.Container,
            CgroupPath = t.CgroupPath,
            CpuPercent = percent is null ? null : Math.Round(percent.Value, 2),
            CpuUsageNanoseconds = now.CpuUsageNanoseconds,
            MemoryWorkingSet = now.WorkingSet,
            MemoryUsage = now.MemoryUsage,
            MemoryLimit = now.MemoryLimit,
            Pids = now.Pids,
            PidsLimit = now.PidsLimit,
            Interval = elapsed,
            Timestamp = DateTimeOffset.Now,
        };
    }

    /// <summary>Redraws the table from the top of the terminal (ANSI home + erase), as docker stats does.</summary>
    private void Draw(IReadOnlyList<PodStats> rows)
    {
        var text = new StringBuilder("\u001b[H\u001b[J");
        text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,-16} {2,7} {3,9} {4,9} {5,6} {6,9}", "POD", "CONTAINER", "CPU %", "MEM WS", "MEM MAX", "MEM %", "PIDS"));
        foreach (var r in rows)
        {
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,-16} {2,7} {3,9} {4,9} {5,6} {6,9}",
                Cut(r.PodName, 24), Cut(r.Name.Length == 0 ? "(pod)" : r.Name, 16),
                r.CpuPercent?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-",
                CgroupNode.FormatBytes(r.MemoryWorkingSet), r.MemoryLimit is null ? "max" : CgroupNode.FormatBytes(r.MemoryLimit),
                r.MemoryPercent?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                r.PidsLimit is null ? $"{r.Pids}" : $"{r.Pids}/{r.PidsLimit}"));
        }
        text.AppendLine($"{DateTimeOffset.Now:HH:mm:ss}  every {Interval.ToString(CultureInfo.InvariantCulture)} s  Ctrl+C to stop");
        Host.UI.Write(text.ToString());
    }

    private static string Cut(string s, int width) => s.Length <= width ? s : s.Substring(0, width - 1) + "…";
}
