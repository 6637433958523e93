using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using PodShell.Engine;
using PodShell.State;

namespace PodShell.Native.Host;

/// <summary>Runs podshell-init, the NativeAOT helper that does all namespace work, and reads its one-line JSON answer.</summary>
internal sealed class InitRunner : IInitRunner
{
    public static InitRunner Instance { get; } = new();

    /// <summary>How long a role may take to answer (a sandbox, a shim's first start).</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    public static string BinaryPath
    {
        get
        {
            var rid = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "linux-x64",
                Architecture.Arm64 => "linux-arm64",
                var other => throw new PlatformNotSupportedException($"PodShell's native engine has no podshell-init for {other}."),
            };
            return Path.Combine(Path.GetDirectoryName(typeof(InitRunner).Assembly.Location)!, "bin", rid, "podshell-init");
        }
    }

    /// <summary>
    /// Runs a role and returns its answer; a missing or unreadable answer becomes an engine error. With
    /// <paramref name="detaches"/> the process stays running (the shim daemon): its answer is complete when its
    /// stdout closes, and it is not waited for (.NET reaps the children it started when they exit).
    /// </summary>
    public int Exec(string configPath, int containerPid, ExecRequest request, IExecOutput output, CancellationToken cancel) =>
        InitExec.Run(InitExec.StartInfo(configPath, containerPid, request), request, output, cancel);

    public T Run<T>(string[] arguments, TimeSpan timeout, CancellationToken cancel, bool detaches = false) where T : class
    {
        var binary = BinaryPath;
        if (!File.Exists(binary))
        {
            throw new PodEngineException(ErrorIds.InitBinaryMissing, ErrorCategory.ResourceUnavailable, binary,
                $"podshell-init is missing at {binary}.", "Rebuild the module with ./build.ps1 Build.");
        }
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        bool exited = false;
        using (cancel.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } }))
        {
            bool answered = detaches
                ? stdoutTask.Wait((int)timeout.TotalMilliseconds)
                : process.WaitForExit((int)timeout.TotalMilliseconds);
            if (!answered)
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                process.WaitForExit();
                throw new PodEngineException(ErrorIds.InitTimeout, ErrorCategory.OperationTimeout, arguments[0],
                    $"podshell-init {arguments[0]} did not answer within {timeout.TotalSeconds} s.");
            }
            if (!detaches)
            {
                process.WaitForExit();
                exited = true;
            }
        }
        cancel.ThrowIfCancellationRequested();
        var stdout = stdoutTask.GetAwaiter().GetResult();
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        T? result = null;
        if (line is not null)
        {
            try { result = JsonSerializer.Deserialize<T>(line, StateStore.Json); }
            catch (JsonException) { }
        }
        if (result is null)
        {
            // A daemon that did not answer is on its way out: its exit code and stderr tell why.
            if (!exited) exited = process.WaitForExit((int)timeout.TotalMilliseconds);
            var stderr = stderrTask.Wait((int)timeout.TotalMilliseconds) ? stderrTask.Result : "";
            var code = exited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
            throw new PodEngineException(ErrorIds.InitFailed, ErrorCategory.NotSpecified, arguments[0],
                $"podshell-init {arguments[0]} failed (exit code {code}): {stderr.Trim()} {stdout.Trim()}".Trim());
        }
        return result;
    }
}
