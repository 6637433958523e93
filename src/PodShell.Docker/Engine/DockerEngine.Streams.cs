using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>Exec and logs: the daemon's multiplexed streams, stdout and stderr kept apart.</summary>
public sealed partial class DockerEngine
{
    private const int StreamBuffer = 64 * 1024;

    public int Exec(string pod, string container, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        var target = FindContainer(pod, container, cancel);
        if (target.State != ContainerState.Running)
        {
            throw new PodEngineException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, target.ToString(),
                $"Container '{container}' of pod '{pod}' is not running ({target.State}).", $"Start it first: Start-PodContainer -Pod {pod} -Name {container}.");
        }
        var create = new ContainerExecCreateParameters
        {
            Cmd = request.Command.ToList(),
            Env = request.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
            WorkingDir = request.WorkingDirectory!,
            AttachStdout = true,
            AttachStderr = true,
            AttachStdin = request.Stdin is not null,
            TTY = request.Tty,
        };
        if (request.InitialSize is { } size) create.ConsoleSize = new ConsoleSize { Height = (ulong)size.Rows, Width = (ulong)size.Columns };
        var exec = Call(c => c.Exec.CreateContainerExecAsync(target.Id, create, cancel), cancel, target.ToString());
        using var stream = Call(c => c.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { TTY = request.Tty }, cancel), cancel, target.ToString());
        // Ctrl+C: Docker has no "kill exec"; on a local daemon the exec's process is ours to end.
        using var registration = cancel.Register(() => KillExec(exec.ID));
        Task? stdin = null;
        if (request.Stdin is { } input)
        {
            stdin = Task.Run(async () =>
            {
                await stream.CopyFromAsync(input, cancel).ConfigureAwait(false);
                stream.CloseWrite();
            }, cancel);
        }
        if (request.Tty) _ = FollowSize(exec.ID, request, cancel);
        var buffer = new byte[StreamBuffer];
        while (true)
        {
            var read = DockerConnection.Run(() => stream.ReadOutputAsync(buffer, 0, buffer.Length, cancel), cancel);
            if (read.EOF) break;
            if (read.Count == 0) continue;
            var which = read.Target == MultiplexedStream.TargetStream.StandardError ? ExecStream.Stderr : ExecStream.Stdout;
            output.Write(which, buffer.AsSpan(0, read.Count));
        }
        // The stream ends as the process does; its exit code is recorded a moment later.
        for (var attempt = 0; ; attempt++)
        {
            var state = Call(c => c.Exec.InspectContainerExecAsync(exec.ID, cancel), cancel, target.ToString());
            if (!state.Running && state.ExitCode is { } code) return (int)code;
            if (attempt > 200) return -1;
            cancel.WaitHandle.WaitOne(10);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The caller's window size changes, passed to the exec's pty (the daemon sends it SIGWINCH).</summary>
    private Task FollowSize(string execId, ExecRequest request, CancellationToken cancel)
    {
        if (request.SizeChanges is not { } sizes) return Task.CompletedTask;
        return Task.Run(async () =>
        {
            try
            {
                await foreach (var size in sizes.ReadAllAsync(cancel).ConfigureAwait(false))
                {
                    var resize = new ContainerResizeParameters { Height = size.Rows, Width = size.Columns };
                    await Docker().Client.Exec.ResizeExecTtyAsync(execId, resize, cancel).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or DockerApiException or IOException or System.Net.Http.HttpRequestException)
            {
                // The exec ended (or the caller gave up) while a size was on its way.
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Ends an exec's process (and its children) on a local daemon, asking the daemon for its pid until it
    /// reports the exec ended: a process caught starting up gets another try.
    /// </summary>
    private void KillExec(string execId)
    {
        if (!_endpoint.IsLocal) return;
        Task.Run(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var state = DockerConnection.Run(() => Docker().Client.Exec.InspectContainerExecAsync(execId, CancellationToken.None), CancellationToken.None);
                    if (!state.Running) return;
                    if (state.Pid > 0) System.Diagnostics.Process.GetProcessById((int)state.Pid).Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or DockerApiException or System.ComponentModel.Win32Exception
                    or PodEngineException or System.Net.Http.HttpRequestException)
                {
                    // Ended by itself meanwhile, or the daemon forgot it.
                }
                Thread.Sleep(50);
            }
        });
    }

    public IEnumerable<ContainerLogEntry> ReadLog(string pod, string container, LogQuery query, CancellationToken cancel)
    {
        if (query.Previous)
        {
            throw new PodEngineException(ErrorIds.PreviousLogNotAvailable, ErrorCategory.NotImplemented, $"{pod}/{container}",
                "Docker keeps one log per container across its restarts, so there is no separate log of the previous run.",
                "Read the whole log (without -Previous); lines of every run are in it, in order.");
        }
        var target = FindContainer(pod, container, cancel);
        return ReadLogStream(target, query, cancel);
    }

    private IEnumerable<ContainerLogEntry> ReadLogStream(PodContainer target, LogQuery query, CancellationToken cancel)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            // Always asked for: each entry carries its time, shown or not.
            Timestamps = true,
            Follow = query.Follow,
            Tail = query.Tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = query.Since?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        using var stream = Call(c => c.Containers.GetContainerLogsAsync(target.Id, parameters, cancel), cancel, target.ToString());
        var pending = new Dictionary<LogStream, MemoryStream> { [LogStream.Stdout] = new(), [LogStream.Stderr] = new() };
        var buffer = new byte[StreamBuffer];
        var entries = new List<ContainerLogEntry>();
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try
            {
                read = DockerConnection.Run(() => stream.ReadOutputAsync(buffer, 0, buffer.Length, cancel), cancel);
            }
            catch (IOException) when (cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancel);
            }
            if (read.EOF) break;
            var which = read.Target == MultiplexedStream.TargetStream.StandardError ? LogStream.Stderr : LogStream.Stdout;
            SplitLines(pending[which], which, buffer.AsSpan(0, read.Count), entries);
            foreach (var entry in entries) yield return entry;
            entries.Clear();
        }
        foreach (var (which, rest) in pending)
        {
            if (rest.Length > 0) yield return ParseLine(which, rest.ToArray());
        }
    }

    private static void SplitLines(MemoryStream pending, LogStream which, ReadOnlySpan<byte> data, List<ContainerLogEntry> entries)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(data);
                return;
            }
            pending.Write(data[..newline]);
            entries.Add(ParseLine(which, pending.ToArray()));
            pending.SetLength(0);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>"2024-05-01T10:00:00.123456789Z text" (Docker's --timestamps form) to an entry.</summary>
    private static ContainerLogEntry ParseLine(LogStream which, byte[] line)
    {
        var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
        var space = text.IndexOf(' ');
        if (space > 0 && ParseTime(text[..space]) is { } time) return new ContainerLogEntry(time, which, text[(space + 1)..]);
        return new ContainerLogEntry(DateTimeOffset.UtcNow, which, text);
    }
}
