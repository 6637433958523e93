using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Native.Host;
using PodShell.Protocol;

namespace PodShell.Native;

/// <summary>
/// One `podshell-init exec`: it joins the container and runs the command in a session of its own. Its stdin, stdout
/// and stderr are pipes to this process (never pwsh's terminal). Without a pty they are the command's own stdio; with
/// one, stdin carries <see cref="ExecFrames"/> (keys and window sizes) and stdout the pty's output.
/// </summary>
internal static class InitExec
{
    /// <summary>After SIGINT (SIGHUP for a pty) on cancel, how long the command gets before its tree is killed.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);
    private const int SIGHUP = 1, SIGINT = 2;

    public static ProcessStartInfo StartInfo(string configPath, int containerPid, ExecRequest request)
    {
        var start = new ProcessStartInfo(InitRunner.BinaryPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var args = start.ArgumentList;
        args.Add("exec");
        args.Add("--config");
        args.Add(configPath);
        args.Add("--pid");
        args.Add(containerPid.ToString(CultureInfo.InvariantCulture));
        if (request.WorkingDirectory is not null)
        {
            args.Add("--workdir");
            args.Add(request.WorkingDirectory);
        }
        foreach (var pair in request.Environment)
        {
            args.Add("--env");
            args.Add($"{pair.Key}={pair.Value}");
        }
        if (request.Tty)
        {
            args.Add("--tty");
            if (request.InitialSize is { } size)
            {
                args.Add("--columns");
                args.Add(size.Columns.ToString(CultureInfo.InvariantCulture));
                args.Add("--rows");
                args.Add(size.Rows.ToString(CultureInfo.InvariantCulture));
            }
        }
        else if (request.Stdin is null) args.Add("--no-stdin");
        args.Add("--");
        foreach (var arg in request.Command) args.Add(arg);
        return start;
    }

    /// <summary>Runs it to the end: output pumped to <paramref name="output"/> until both streams close; returns the exit code.</summary>
    public static int Run(ProcessStartInfo start, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        using var process = new Process { StartInfo = start };
        process.Start();
        using var exited = new CancellationTokenSource();
        var stdout = Pump(process.StandardOutput.BaseStream, ExecStream.Stdout, output);
        var stderr = Pump(process.StandardError.BaseStream, ExecStream.Stderr, output);
        var stdin = process.StandardInput.BaseStream;
        var input = request.Tty ? FeedTerminal(request, stdin, exited.Token) : FeedStdin(request.Stdin, stdin, exited.Token);
        using (cancel.Register(() => Interrupt(process, request.Tty)))
        {
            process.WaitForExit();
            exited.Cancel();
            try
            {
                // A background process of the command may hold stdout open: wait for it as pwsh does for a native
                // command, unless the caller gives up.
                Task.WaitAll([stdout, stderr], cancel);
                input.Wait(cancel);
            }
            catch (OperationCanceledException)
            {
            }
            catch (AggregateException e) when (e.InnerException is IOException)
            {
            }
        }
        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    private static Task Pump(Stream from, ExecStream stream, IExecOutput output) => Task.Factory.StartNew(() =>
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = from.Read(buffer, 0, buffer.Length)) > 0) output.Write(stream, buffer.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Cancelled: the caller stopped listening before the command's output ended.
        }
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Copies the caller's input; its end (or the command's exit) closes the command's stdin.</summary>
    private static Task FeedStdin(Stream? from, Stream to, CancellationToken exited)
    {
        if (from is null)
        {
            to.Dispose();
            return Task.CompletedTask;
        }
        return Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer, exited).ConfigureAwait(false)) > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), exited).ConfigureAwait(false);
                    await to.FlushAsync(exited).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // EPIPE: the command stopped reading (or exited) before the input ended, as `head` does.
            }
            finally
            {
                try { to.Dispose(); } catch (IOException) { }
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Keys and window sizes as frames on one pipe, in the order they happen. The pipe stays open until the command
    /// exits even when the keys end: its end would hang the terminal up.
    /// </summary>
    private static Task FeedTerminal(ExecRequest request, Stream to, CancellationToken exited)
    {
        var gate = new SemaphoreSlim(1, 1);
        async Task Send(byte[] frame)
        {
            await gate.WaitAsync(exited).ConfigureAwait(false);
            try
            {
                await to.WriteAsync(frame, exited).ConfigureAwait(false);
                await to.FlushAsync(exited).ConfigureAwait(false);
            }
            finally { gate.Release(); }
        }
        async Task Keys()
        {
            if (request.Stdin is null) return;
            var buffer = new byte[4096];
            int read;
            while ((read = await request.Stdin.ReadAsync(buffer, exited).ConfigureAwait(false)) > 0)
                await Send(ExecFrames.Data(buffer.AsSpan(0, read))).ConfigureAwait(false);
        }
        async Task Sizes()
        {
            if (request.SizeChanges is null) return;
            await foreach (var size in request.SizeChanges.ReadAllAsync(exited).ConfigureAwait(false))
                await Send(ExecFrames.Size(size.Columns, size.Rows)).ConfigureAwait(false);
        }
        async Task Guard(Func<Task> pump)
        {
            try { await pump().ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
        }
        return Task.WhenAll(Task.Run(() => Guard(Keys), CancellationToken.None), Task.Run(() => Guard(Sizes), CancellationToken.None));
    }

    /// <summary>
    /// Ctrl+C in pwsh: SIGINT to podshell-init, which passes it to the command's process group, as the terminal would
    /// for a native command (with a pty: SIGHUP, the terminal closing). What outlives the grace period is killed.
    /// </summary>
    private static void Interrupt(Process process, bool tty)
    {
        try
        {
            if (process.HasExited) return;
            Libc.kill(process.Id, tty ? SIGHUP : SIGINT);
            _ = Task.Delay(InterruptGrace).ContinueWith(_ =>
            {
                try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
            }, TaskScheduler.Default);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
