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
    /// <summary>The pod; when left out, the first word before "--" names it (Invoke-PodCommand foo app -- hostname).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string Pod { get; set; } = "";

    /// <summary>The container; the pod's only one when left out. A PodContainer binds it through ContainerName (a piped Pod's Name is the pod's).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string? Container { get; set; }

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
        var (pod, container, command) = PositionalTarget.Split(this, Pod, Container, Command);
        if (pod is null) return;
        var engine = FindEngine(pod);
        if (engine is null) return;
        container = ContainerTarget.Resolve(this, engine, pod, container, "-Container");
        if (container is null) return;
        if (!ShouldProcess($"{pod}/{container}", $"Run '{string.Join(" ", command)}'")) return;
        RunItem(() =>
        {
            var environment = new Dictionary<string, string>();
            if (Environment is not null)
            {
                foreach (DictionaryEntry entry in Environment) environment[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
            }
            var request = new ExecRequest { Command = command, WorkingDirectory = WorkingDirectory, Environment = environment };
            var exitCode = Run(engine, pod, container, request);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        });
    }

    /// <summary>Runs the exec on another thread and relays its lines on the pipeline thread (WriteObject may not be called from others).</summary>
    private int Run(IPodEngine engine, string pod, string container, ExecRequest request)
    {
        using var output = new ExecLineOutput();
        var exec = Task.Run(() =>
        {
            try
            {
                return engine.Exec(pod, container, request, output, Cancellation);
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
                WriteError(MakeError(ErrorIds.NativeCommandError, ErrorCategory.FromStdErr, $"{pod}/{container}", text));
            }
            else
            {
                WriteObject(text);
            }
        }
        return exec.GetAwaiter().GetResult();
    }
}
