using System;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// An interactive shell (or the given command) in a running container, on a terminal of its own: a pty allocated in
/// the container, pwsh's terminal in raw mode until it exits, like docker exec -it or kubectl exec -it.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "PodContainer")]
[OutputType(typeof(void))]
public sealed class EnterPodContainerCommand : ExecCmdletBase
{
    /// <summary>bash when the container has it, else sh, as an interactive shell.</summary>
    private static readonly string[] DefaultShell =
        ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash -i; else exec sh -i; fi"];

    [Parameter(Position = 0)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string? Pod { get; set; }

    /// <summary>The container; optional when the pod has only one.</summary>
    [Parameter(Position = 1)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string? Container { get; set; }

    /// <summary>The command to run instead of a shell.</summary>
    [Parameter(Position = 2, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    /// <summary>A Pod or PodContainer to enter.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        RunItem(() =>
        {
            var piped = InputObject?.BaseObject;
            if (piped is not null and not (Model.Pod or PodContainer))
            {
                WriteError(MakeError(ErrorIds.InvalidPipelineInput, ErrorCategory.InvalidArgument, piped,
                    $"Enter-PodContainer takes a Pod or a PodContainer from the pipeline, not {piped.GetType().Name}.",
                    "Pipe Get-Pod or Get-PodContainer into it, or name the pod: Enter-PodContainer foo app."));
                return;
            }
            var container = Container;
            // `Get-Pod foo | Enter-PodContainer app`: the one positional word is the container.
            if (piped is Model.Pod && Pod is not null && container is null) container = Pod;
            var command = Command is { Length: > 0 } ? Command : DefaultShell;
            var target = ResolveTarget(piped, Pod, container, command, containerFromWords: false);
            if (target is null) return;
            if (RunInteractive(target, WorkingDirectory, ToEnvironment(Environment)) is { } code) ReportExit(target, code);
        });
    }
}
