using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Logging;
using PodShell.Protocol;
using PodShell.State;

namespace PodShell.Native;

public sealed partial class NativeEngine
{
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Runs `podshell-init exec`: it joins the container's namespaces and cgroup and runs the command in a session of
    /// its own, on pipes or on a pty it allocates in the container (see <see cref="InitExec"/>).
    /// </summary>
    public int Exec(string podName, string name, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        RequireRoot();
        if (request.Command.Count == 0)
        {
            throw new PodEngineException(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument, $"{podName}/{name}",
                "Exec needs a command to run.", "Pass the command after --, for example: Invoke-PodCommand foo app -- ls /.");
        }
        var pod = LoadPod(podName);
        RequireContainer(pod, name);
        RequireNotPaused(pod);
        var status = _store.ReadStatus(pod.Name, name);
        if (status is null || status.State != ContainerRunState.Running || !_processes.IsAlive(new ProcessIdentity(status.Pid, status.PidStartTime)))
        {
            throw new PodEngineException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, $"{podName}/{name}",
                $"Container '{name}' of pod '{podName}' is not running.", $"Start it: Start-PodContainer -Pod {podName} -Name {name}.");
        }
        var config = Path.Combine(_store.ContainerDirectory(pod.Name, name), "config.json");
        return _init.Exec(config, status.Pid, request, output, cancel);
    }

    public IEnumerable<ContainerLogEntry> ReadLog(string podName, string name, LogQuery query, CancellationToken cancel)
    {
        var pod = LoadPod(podName);
        RequireContainer(pod, name);
        if (query.Previous) return ReadPreviousRun(pod, name, query);
        return ReadLogEntries(pod, name, query, cancel);
    }

    private IEnumerable<ContainerLogEntry> ReadLogEntries(PodRecord pod, string name, LogQuery query, CancellationToken cancel)
    {
        var file = new CriLogFile(_store.ContainerLogPath(pod.Name, name));
        foreach (var entry in file.ReadFirst(query.Tail, query.Since)) yield return entry;
        if (!query.Follow) yield break;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var entry in file.ReadNew(query.Since)) yield return entry;
            if (ToContainer(pod, name)?.State is not (ContainerState.Running or ContainerState.Waiting or ContainerState.Paused))
            {
                // It stopped: what it wrote before stopping is the end of the log.
                foreach (var entry in file.ReadNew(query.Since)) yield return entry;
                yield break;
            }
            cancel.WaitHandle.WaitOne(FollowPollInterval);
        }
    }

    private const string LastStatusFile = "last-status.json";

    /// <summary>
    /// kubectl logs --previous: the lines of the run before the current one. The log holds every run, so the
    /// run is found by its times: the shim's lastStartedAt/lastFinishedAt after a restart it made, else the
    /// status the last Start-PodContainer set aside.
    /// </summary>
    private IEnumerable<ContainerLogEntry> ReadPreviousRun(PodRecord pod, string name, LogQuery query)
    {
        var status = _store.ReadStatus(pod.Name, name);
        DateTimeOffset? from = status?.LastStartedAt, to = status?.LastFinishedAt;
        if (from is null && StateStore.Read<Protocol.ContainerStatus>(Path.Combine(_store.ContainerDirectory(pod.Name, name), LastStatusFile)) is { StartedAt: { } started } last)
        {
            from = started;
            to = last.FinishedAt;
        }
        if (from is null)
        {
            throw new PodEngineException(ErrorIds.PreviousLogNotAvailable, ErrorCategory.ObjectNotFound, $"{pod.Name}/{name}",
                $"Container '{name}' of pod '{pod.Name}' has no previous run: it has not been restarted.",
                "Read the current run without -Previous.");
        }
        var since = query.Since is { } s && s > from.Value ? s : from.Value;
        var entries = new CriLogFile(_store.ContainerLogPath(pod.Name, name)).ReadFirst(null, since).Where(e => to is null || e.Timestamp <= to.Value).ToList();
        return query.Tail is { } tail ? entries.Skip(Math.Max(0, entries.Count - tail)).ToList() : entries;
    }
}
