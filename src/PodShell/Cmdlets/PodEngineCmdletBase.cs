using System;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Base of the cmdlets that act on pods: Ctrl+C cancels, engine failures become ErrorRecords.</summary>
public abstract class PodEngineCmdletBase : PodCmdletBase, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    protected CancellationToken Cancellation => _cancel.Token;

    protected override void StopProcessing() => _cancel.Cancel();

    public void Dispose()
    {
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The engine that holds the named pod; a per-item PodNotFound error (and null) when none does.</summary>
    protected IPodEngine? FindEngine(string pod)
    {
        try
        {
            var engine = EngineRegistry.Owner(pod);
            if (engine is null) WriteEngineError(PodEngineException.PodNotFound(pod));
            return engine;
        }
        catch (PodEngineException e)
        {
            WriteEngineError(e);
            return null;
        }
    }

    protected static IPodEngine EngineFor(PodEngineKind kind) => EngineRegistry.Get(kind);

    /// <summary>Runs one item's work; an engine failure is reported for that item and the pipeline goes on.</summary>
    protected void RunItem(Action action)
    {
        try
        {
            action();
        }
        catch (PodEngineException e)
        {
            WriteEngineError(e);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (UnauthorizedAccessException e)
        {
            WriteError(MakeError(ErrorIds.RootRequired, ErrorCategory.PermissionDenied, null,
                $"PodShell's state cannot be read: {e.Message}", "Run pwsh as root (for example: sudo pwsh).", e));
        }
        catch (System.IO.IOException e)
        {
            WriteError(MakeError(ErrorIds.PodStateIOError, ErrorCategory.WriteError, null, e.Message, null, e));
        }
    }

    /// <summary>ShouldProcess, except that -Force skips the confirmation prompt (still honouring -WhatIf and an explicit -Confirm).</summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        var bound = MyInvocation.BoundParameters;
        if (force && !bound.ContainsKey("WhatIf") && !bound.ContainsKey("Confirm")) return true;
        return ShouldProcess(target, action);
    }

    protected void WriteEngineError(PodEngineException e) =>
        WriteError(MakeError(e.ErrorId, e.Category, e.Target, e.Message, e.RecommendedAction, e));
}
