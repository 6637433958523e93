using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Logging;
using PodShell.State;

namespace PodShell.Native;

public sealed partial class NativeEngine
{
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs `podshell-init exec` (it joins the container's namespaces and cgroup) and pumps its streams.</summary>
    public int Exec(string podName, string name, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        RequireRoot();
        if (request.Command.Count == 0)
        {
            throw new PodEngineException(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument, $"{podName}/{name}",
                "Exec needs a command to run.", "Pass the command after --, for example: Invoke-PodCommand -Pod foo -Container app -- ls /.");
        }
        if (request.Tty)
        {
            throw new PodEngineException(ErrorIds.TtyNotSupported, ErrorCategory.NotImplemented, $"{podName}/{name}",
                "The native engine does not allocate a terminal for exec yet.", "Run the command without a terminal.");
        }
        using var process = new Process { StartInfo = ExecStartInfo(podName, name, request) };
        process.Start();
        var stdout = Pump(process.StandardOutput.BaseStream, ExecStream.Stdout, output);
        var stderr = Pump(process.StandardError.BaseStream, ExecStream.Stderr, output);
        FeedStdin(request.Stdin, process.StandardInput.BaseStream);
        using (cancel.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            process.WaitForExit();
            Task.WaitAll(stdout, stderr);
        }
        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    private ProcessStartInfo ExecStartInfo(string podName, string name, ExecRequest request)
    {
        var pod = LoadPod(podName);
        RequireContainer(pod, name);
        var status = _store.ReadStatus(pod.Name, name);
        if (status is null || status.State != "Running" || !new ProcessIdentity(status.Pid, status.PidStartTime).IsAlive)
        {
            throw new PodEngineException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, $"{podName}/{name}",
                $"Container '{name}' of pod '{podName}' is not running.", $"Start it: Start-PodContainer -Pod {podName} -Name {name}.");
        }
        var start = new ProcessStartInfo(InitRunner.BinaryPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(_store.ContainerDirectory(pod.Name, name), "config.json"));
        start.ArgumentList.Add("--pid");
        start.ArgumentList.Add(status.Pid.ToString(CultureInfo.InvariantCulture));
        if (request.WorkingDirectory is not null)
        {
            start.ArgumentList.Add("--workdir");
            start.ArgumentList.Add(request.WorkingDirectory);
        }
        foreach (var pair in request.Environment)
        {
            start.ArgumentList.Add("--env");
            start.ArgumentList.Add($"{pair.Key}={pair.Value}");
        }
        start.ArgumentList.Add("--");
        foreach (var arg in request.Command) start.ArgumentList.Add(arg);
        return start;
    }

    private static Task Pump(Stream from, ExecStream stream, IExecOutput output) => Task.Run(() =>
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = from.Read(buffer, 0, buffer.Length)) > 0) output.Write(stream, buffer.AsSpan(0, read));
    });

    /// <summary>Copies the caller's stdin in the background; none means end-of-file at once.</summary>
    private static void FeedStdin(Stream? from, Stream to)
    {
        if (from is null)
        {
            to.Dispose();
            return;
        }
        _ = Task.Run(() =>
        {
            try
            {
                from.CopyTo(to);
            }
            catch (IOException)
            {
                // The command exited (or closed its stdin) before reading everything.
            }
            finally
            {
                try { to.Dispose(); } catch (IOException) { }
            }
        });
    }

    public IEnumerable<ContainerLogEntry> ReadLog(string podName, string name, LogQuery query, CancellationToken cancel)
    {
        var pod = LoadPod(podName);
        RequireContainer(pod, name);
        if (query.Previous)
        {
            throw new PodEngineException(ErrorIds.PreviousLogNotAvailable, ErrorCategory.NotImplemented, $"{podName}/{name}",
                "The native engine keeps one log per container, across its restarts: there is no separate previous log.",
                "Read the whole log (it holds every run), or use -Since.");
        }
        return ReadLogEntries(pod, name, query, cancel);
    }

    private IEnumerable<ContainerLogEntry> ReadLogEntries(PodRecord pod, string name, LogQuery query, CancellationToken cancel)
    {
        var file = new CriLogFile(LogPath(pod, name));
        foreach (var entry in file.ReadFirst(query.Tail, query.Since)) yield return entry;
        if (!query.Follow) yield break;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var entry in file.ReadNew(query.Since)) yield return entry;
            if (ToContainer(pod, name)?.State is not (ContainerState.Running or ContainerState.Waiting))
            {
                // It stopped: what it wrote before stopping is the end of the log.
                foreach (var entry in file.ReadNew(query.Since)) yield return entry;
                yield break;
            }
            cancel.WaitHandle.WaitOne(FollowPollInterval);
        }
    }

    private string LogPath(PodRecord pod, string name) => Path.Combine(_store.ContainerDirectory(pod.Name, name), "container.log");
}
