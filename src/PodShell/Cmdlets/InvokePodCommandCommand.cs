using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>
/// Runs a command inside a running container (all its namespaces and its cgroup), like kubectl exec.
/// Standard output is streamed to the pipeline as lines, standard error to the error stream, and the
/// command's exit code is left in $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PodCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class InvokePodCommandCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "ContainerName")]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>The command and its arguments; write them after "--" so pwsh passes them through as they are.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = Array.Empty<string>();

    [Parameter]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [Alias("Env")]
    public Hashtable? Environment { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Pod}/{Container}", $"Run '{string.Join(" ", Command)}'")) return;
        var engine = FindEngine(Pod);
        if (engine is null) return;
        RunItem(() =>
        {
            var environment = new Dictionary<string, string>();
            if (Environment is not null)
            {
                foreach (DictionaryEntry entry in Environment) environment[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
            }
            var start = engine.CreateExec(Pod, Container, Command, WorkingDirectory, environment);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.RedirectStandardInput = true;
            var exitCode = Run(start);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        });
    }

    /// <summary>Relays the process's output on the pipeline thread (WriteObject may not be called from others).</summary>
    private int Run(ProcessStartInfo start)
    {
        using var lines = new BlockingCollection<(bool Error, string Text)>();
        using var process = new Process { StartInfo = start };
        var open = 2;
        void OnData(bool error, string? text)
        {
            if (text is not null) lines.Add((error, text));
            else if (System.Threading.Interlocked.Decrement(ref open) == 0) lines.CompleteAdding();
        }
        process.OutputDataReceived += (_, e) => OnData(false, e.Data);
        process.ErrorDataReceived += (_, e) => OnData(true, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (Cancellation.Register(() => { try { process.Kill(true); } catch (InvalidOperationException) { } }))
        {
            try
            {
                foreach (var (error, text) in lines.GetConsumingEnumerable(Cancellation))
                {
                    if (error)
                    {
                        WriteError(MakeError("NativeCommandError", ErrorCategory.FromStdErr, $"{Pod}/{Container}", text));
                    }
                    else
                    {
                        WriteObject(text);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            process.WaitForExit();
        }
        return process.ExitCode;
    }
}
