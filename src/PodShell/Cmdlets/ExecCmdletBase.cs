using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Completion;
using PodShell.Engine;
using PodShell.Exec;
using PodShell.Model;
using PodShell.Terminal;

namespace PodShell.Cmdlets;

/// <summary>
/// What Invoke-PodCommand and Enter-PodContainer share: finding the container to run in, running a command there with
/// a terminal, and reporting the exit code as pwsh does for native commands ($LASTEXITCODE, and an error only under
/// $PSNativeCommandUseErrorActionPreference).
/// </summary>
public abstract class ExecCmdletBase : PodEngineCmdletBase
{
    /// <summary>The directory in the container the command runs in; the container's own when left out.</summary>
    [Parameter]
    public string? WorkingDirectory { get; set; }

    /// <summary>More environment variables for the command (added to the container's, overriding them).</summary>
    [Parameter]
    [Alias("Env")]
    public Hashtable? Environment { get; set; }

    /// <summary>The container a command runs in, and the command once pod and container words are taken off it.</summary>
    private protected sealed record ExecTarget(IPodEngine Engine, string Pod, string Container, IReadOnlyList<string> Command)
    {
        public string Display => $"{Pod}/{Container}";
    }

    /// <summary>Environment additions from a hashtable parameter.</summary>
    private protected static IReadOnlyDictionary<string, string> ToEnvironment(Hashtable? table) => HashtableArguments.ToStrings(table);

    /// <summary>
    /// The pod comes from a piped Pod or PodContainer, -Pod, or else the first word; the container from a piped
    /// PodContainer, -Container, the next word when <paramref name="containerFromWords"/>, it names one of the pod's
    /// containers and a command follows it, or else the pod's only container (<see cref="ContainerTarget"/>). Null (with
    /// an error written) when that does not name one container.
    /// </summary>
    private protected ExecTarget? ResolveTarget(object? piped, string? pod, string? container, IReadOnlyList<string> words, bool containerFromWords)
    {
        var rest = new List<string>(words);
        switch (piped)
        {
            case PodContainer fromPipe:
                pod = fromPipe.PodName;
                container = fromPipe.Name;
                break;
            case Pod fromPipe:
                pod = fromPipe.Name;
                break;
            default:
                if (string.IsNullOrEmpty(pod))
                {
                    if (rest.Count == 0)
                    {
                        WriteError(MakeError(ErrorIds.PodNameRequired, ErrorCategory.InvalidArgument, null, "Name the pod (and the container) the command runs in.",
                            "For example: Invoke-PodCommand foo app -- hostname, or Get-Pod foo | Invoke-PodCommand -- hostname."));
                        return null;
                    }
                    pod = rest[0];
                    rest.RemoveAt(0);
                }
                break;
        }
        var engine = FindEngine(pod!);
        if (engine is null) return null;
        if (string.IsNullOrEmpty(container) && containerFromWords && rest.Count > 1 &&
            NameCatalog.ContainerNames(pod!).Contains(rest[0], StringComparer.Ordinal))
        {
            container = rest[0];
            rest.RemoveAt(0);
        }
        container = ContainerTarget.Resolve(this, engine, pod!, container, "-Container");
        return container is null ? null : new ExecTarget(engine, pod!, container, rest);
    }

    /// <summary>
    /// Runs the command on a pty in the container with pwsh's terminal in raw mode until the command exits, like
    /// docker exec -it. Returns the exit code (null when it could not start; the error is written).
    /// </summary>
    private protected int? RunInteractive(ExecTarget target, string? workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (!CallerTerminal.IsAvailable)
        {
            WriteError(MakeError(ErrorIds.TerminalRequired, ErrorCategory.InvalidOperation, target.Display,
                "An interactive session needs a terminal, and pwsh's input or output is not one (a pipe, a file, or a host without a console).",
                "Run it from pwsh in a terminal, or run the command without -Interactive."));
            return null;
        }
        using var terminal = new CallerTerminal();
        using var input = terminal.OpenInput();
        using var output = new ExecOutputQueue(terminal.Write);
        var request = new ExecRequest
        {
            Command = target.Command,
            WorkingDirectory = workingDirectory,
            Environment = environment,
            Stdin = input,
            Tty = true,
            InitialSize = CallerTerminal.Size,
            SizeChanges = terminal.SizeChanges,
        };
        Task<int>? run = null;
        terminal.EnterRawMode();
        try
        {
            run = Task.Factory.StartNew(() => target.Engine.Exec(target.Pod, target.Container, request, output, Cancellation),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // The pipeline thread only waits: what the command writes goes straight to the terminal.
            ((IAsyncResult)run).AsyncWaitHandle.WaitOne();
        }
        finally
        {
            input.Stop();
            terminal.Dispose();
        }
        // podshell-init's own complaints (the command's went to the pty), now that the terminal is cooked again.
        var errors = new NativeErrorStream(this, target.Display);
        var splitter = new LineSplitter();
        while (output.TryTake(out var chunk))
            foreach (var line in splitter.Add(chunk.Data)) errors.WriteLine(line);
        foreach (var line in splitter.Flush()) errors.WriteLine(line);
        return ExitCodeOf(run);
    }

    /// <summary>The result of a finished run: its exit code, or null after writing the engine's error.</summary>
    private protected int? ExitCodeOf(Task<int> run)
    {
        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e))
        {
            WriteError(ErrorBoundary.ToErrorRecord(e));
            return null;
        }
    }

    /// <summary>
    /// As pwsh does after a native command: $LASTEXITCODE always; a non-zero exit is an error
    /// (ProgramExitedWithNonZeroCode, subject to the error action) only when $PSNativeCommandUseErrorActionPreference is set.
    /// </summary>
    private protected void ReportExit(ExecTarget target, int exitCode)
    {
        SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        if (exitCode == 0 || !LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("PSNativeCommandUseErrorActionPreference"))) return;
        var program = target.Command.Count > 0 ? target.Command[0] : "";
        var message = string.Format(CultureInfo.InvariantCulture,
            "Program \"{0}\" in container {1} ended with non-zero exit code: {2} (0x{2:X2}).", program, target.Display, exitCode);
        WriteError(new ErrorRecord(new PodCommandExitException(message, exitCode), ErrorIds.ProgramExitedWithNonZeroCode, ErrorCategory.NotSpecified, target.Display));
    }
}
