using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using PodShell.Engine;

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
            var request = new ExecRequest { Command = Command, WorkingDirectory = WorkingDirectory, Environment = environment };
            var exitCode = Run(engine, request);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        });
    }

    /// <summary>Runs the exec on another thread and relays its lines on the pipeline thread (WriteObject may not be called from others).</summary>
    private int Run(IPodEngine engine, ExecRequest request)
    {
        using var output = new ExecLineOutput();
        var exec = Task.Run(() =>
        {
            try
            {
                return engine.Exec(Pod, Container, request, output, Cancellation);
            }
            finally
            {
                output.Complete();
            }
        });
        foreach (var (stream, text) in output.Lines.GetConsumingEnumerable(Cancellation))
        {
            if (stream == ExecStream.Stderr)
            {
                WriteError(MakeError(ErrorIds.NativeCommandError, ErrorCategory.FromStdErr, $"{Pod}/{Container}", text));
            }
            else
            {
                WriteObject(text);
            }
        }
        return exec.GetAwaiter().GetResult();
    }
}
