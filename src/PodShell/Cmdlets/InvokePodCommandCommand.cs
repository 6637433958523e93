using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Engine;
using PodShell.Exec;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Runs a command inside a running container (all its namespaces and its cgroup), like kubectl exec, and behaves like a
/// native command: stdout to the pipeline as lines (or bytes with -AsByteStream/-OutFile), stderr as native stderr,
/// pipeline input to stdin, the exit code in $LASTEXITCODE. -Interactive gives it a terminal, like docker exec -it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PodCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = Lines)]
[OutputType(typeof(string), ParameterSetName = [Lines])]
[OutputType(typeof(byte[]), ParameterSetName = [Bytes])]
public sealed class InvokePodCommandCommand : ExecCmdletBase
{
    private const string Lines = "Lines", Bytes = "Bytes", File = "File", Terminal = "Interactive";
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(50);
    private const int InputChunk = 64 * 1024;

    /// <summary>The pod; without it, the first word before the command names it.</summary>
    [Parameter]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string? Pod { get; set; }

    /// <summary>The container; without it, the next word when it names one of the pod's containers, or the pod's only container.</summary>
    [Parameter]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string? Container { get; set; }

    /// <summary>[pod [container]] command and arguments: write them after "--" so pwsh passes them through as they are.</summary>
    [Parameter(Position = 0, ValueFromRemainingArguments = true)]
    [AllowEmptyCollection]
    public string[] Command { get; set; } = Array.Empty<string>();

    /// <summary>Text lines, bytes or objects for the command's stdin; a piped Pod or PodContainer names where to run instead.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>A terminal for the command (a pty in the container, pwsh's terminal in raw mode), like docker exec -it.</summary>
    [Parameter(ParameterSetName = Terminal, Mandatory = true)]
    [Alias("it", "Tty")]
    public SwitchParameter Interactive { get; set; }

    /// <summary>Stdout as byte arrays, as the command wrote it (for binary output: pipe into Set-Content -AsByteStream or a native command).</summary>
    [Parameter(ParameterSetName = Bytes, Mandatory = true)]
    public SwitchParameter AsByteStream { get; set; }

    /// <summary>Stdout written byte for byte to this file (what `&gt; file` does for a native command).</summary>
    [Parameter(ParameterSetName = File, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    private Run? _streaming;
    /// <summary>Whether the run that reads pipeline input was tried (once: a pod that is not there is one error, not one per input line).</summary>
    private bool _streamingTried;
    private bool _ranForTarget;
    private bool _inputRefused;
    private InputEncoder? _encoder;
    private FileStream? _outFile;

    protected override void ProcessRecord()
    {
        var piped = InputObject?.BaseObject;
        if (piped is Model.Pod or PodContainer)
        {
            _ranForTarget = true;
            RunItem(() => RunOnce(piped));
            return;
        }
        if (!MyInvocation.ExpectingInput)
        {
            RunItem(() => RunOnce(null));
            return;
        }
        if (Interactive.IsPresent)
        {
            if (!_inputRefused)
            {
                _inputRefused = true;
                WriteError(MakeError(ErrorIds.InputNotAllowedWithInteractive, ErrorCategory.InvalidArgument, InputObject,
                    "-Interactive reads from the terminal: it takes no pipeline input.",
                    "Pipe the input without -Interactive: Get-Content f | Invoke-PodCommand foo app -- wc -l."));
            }
            return;
        }
        RunItem(() =>
        {
            if (!_streamingTried)
            {
                _streamingTried = true;
                _streaming = Start(piped: null, withInput: true);
            }
            // Nothing to feed once the command has exited (`head` had enough): only its output is left to write.
            if (_streaming is null || _streaming.Task.IsCompleted) return;
            _encoder ??= new InputEncoder(SessionState.PSVariable.GetValue("OutputEncoding"));
            foreach (var chunk in _encoder.Encode(InputObject)) Feed(_streaming, chunk);
        });
    }

    protected override void EndProcessing()
    {
        RunItem(() =>
        {
            // Piped input that never came (`@() | Invoke-PodCommand ...`): the command still runs, on empty stdin.
            if (!_streamingTried && MyInvocation.ExpectingInput && !_ranForTarget && !_inputRefused && !Interactive.IsPresent)
            {
                _streamingTried = true;
                _streaming = Start(piped: null, withInput: true);
            }
            if (_streaming is null) return;
            var run = _streaming;
            _streaming = null;
            if (_encoder is not null)
                foreach (var chunk in _encoder.Finish()) Feed(run, chunk);
            run.Input!.Complete();
            Finish(run);
        });
        _outFile?.Dispose();
        _outFile = null;
    }

    protected override void StopProcessing()
    {
        base.StopProcessing();
        _streaming?.Input?.Complete();
    }

    /// <summary>One whole run without pipeline input (stdin is /dev/null), or with a terminal.</summary>
    private void RunOnce(object? piped)
    {
        if (Interactive.IsPresent)
        {
            var target = Resolve(piped);
            if (target is null || !Confirm(target)) return;
            if (RunInteractive(target, WorkingDirectory, ToEnvironment(Environment)) is { } code) ReportExit(target, code);
            return;
        }
        if (Start(piped, withInput: false) is { } run) Finish(run);
    }

    private ExecTarget? Resolve(object? piped)
    {
        var target = ResolveTarget(piped, Pod, Container, Command, containerFromWords: true);
        if (target is not null && target.Command.Count == 0)
        {
            WriteError(MakeError(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument, target.Display, "No command to run was given.",
                $"Write it after --: Invoke-PodCommand {target.Pod} {target.Container} -- hostname. For a shell, use Enter-PodContainer {target.Pod} {target.Container}."));
            return null;
        }
        return target;
    }

    private bool Confirm(ExecTarget target) => ShouldProcess(target.Display, $"Run '{string.Join(" ", target.Command)}'");

    private Run? Start(object? piped, bool withInput)
    {
        var target = Resolve(piped);
        if (target is null || !Confirm(target)) return null;
        var input = withInput ? new PipelineInputStream() : null;
        var output = new ExecOutputQueue();
        var request = new ExecRequest
        {
            Command = target.Command,
            WorkingDirectory = WorkingDirectory,
            Environment = ToEnvironment(Environment),
            Stdin = input,
        };
        if (_outFile is null)
        {
            if (OutFile is not null) _outFile = new FileStream(GetUnresolvedProviderPathFromPSPath(OutFile), FileMode.Create, FileAccess.Write, FileShare.Read);
            // `> file` gets the bytes, as for a native command (with -AsByteStream the byte arrays go down the pipeline, as asked).
            else if (!AsByteStream.IsPresent && FileRedirection.Target(this) is { } redirected) _outFile = FileRedirection.Open(redirected);
        }
        var task = Task.Factory.StartNew(() => target.Engine.Exec(target.Pod, target.Container, request, output, Cancellation),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new Run(target, task, output, input, new NativeErrorStream(this, target.Display));
    }

    /// <summary>Queues input for the command, writing its output meanwhile; input is dropped once the command has exited.</summary>
    private void Feed(Run run, byte[] chunk)
    {
        for (int offset = 0; offset < chunk.Length; offset += InputChunk)
        {
            var part = offset == 0 && chunk.Length <= InputChunk ? chunk : chunk.AsSpan(offset, Math.Min(InputChunk, chunk.Length - offset)).ToArray();
            while (!run.Input!.TryAdd(part, PumpInterval))
            {
                Drain(run);
                if (run.Task.IsCompleted || Stopping) return;
            }
            Drain(run);
        }
    }

    /// <summary>Writes what the command has written so far.</summary>
    private void Drain(Run run)
    {
        while (run.Output.TryTake(out var chunk)) Write(run, chunk);
    }

    private void Finish(Run run)
    {
        using (run.Output)
        using (run.Input)
        {
            while (true)
            {
                if (run.Output.TryTake(out var chunk, PumpInterval)) Write(run, chunk);
                else if (run.Task.IsCompleted)
                {
                    Drain(run);
                    break;
                }
            }
            foreach (var line in run.Stdout.Flush()) WriteObject(line);
            foreach (var line in run.Stderr.Flush()) run.Errors.WriteLine(line);
            if (ExitCodeOf(run.Task) is { } code) ReportExit(run.Target, code);
        }
    }

    private void Write(Run run, (ExecStream Stream, byte[] Data) chunk)
    {
        if (chunk.Stream == ExecStream.Stderr)
        {
            foreach (var line in run.Stderr.Add(chunk.Data)) run.Errors.WriteLine(line);
        }
        else if (_outFile is not null) _outFile.Write(chunk.Data);
        else if (AsByteStream.IsPresent) WriteObject(chunk.Data, enumerateCollection: false);
        else
        {
            foreach (var line in run.Stdout.Add(chunk.Data)) WriteObject(line);
        }
    }

    private sealed record Run(ExecTarget Target, Task<int> Task, ExecOutputQueue Output, PipelineInputStream? Input, NativeErrorStream Errors)
    {
        public LineSplitter Stdout { get; } = new();
        public LineSplitter Stderr { get; } = new();
    }
}
