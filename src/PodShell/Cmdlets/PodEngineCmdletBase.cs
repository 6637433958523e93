using System;
using System.Collections.Generic;
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
        IPodEngine? engine = null;
        RunItem(() =>
        {
            engine = EngineRegistry.Owner(pod);
            if (engine is null) WriteEngineError(PodEngineException.PodNotFound(pod));
        });
        return engine;
    }

    protected static IPodEngine EngineFor(PodEngineKind kind) => EngineRegistry.Get(kind);

    /// <summary>
    /// Runs one item's work behind the error boundary: any failure is reported for that item as an ErrorRecord with a
    /// stable id and category (ErrorBoundary), and the pipeline goes on; Ctrl+C stops it.
    /// </summary>
    protected void RunItem(Action action)
    {
        try
        {
            action();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e) && e is not ParameterBindingException)
        {
            WriteError(ErrorBoundary.ToErrorRecord(e));
        }
    }

    /// <summary>ShouldProcess, except that -Force skips the confirmation prompt (still honouring -WhatIf and an explicit -Confirm).</summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        var bound = MyInvocation.BoundParameters;
        if (force && !bound.ContainsKey("WhatIf") && !bound.ContainsKey("Confirm")) return true;
        return ShouldProcess(target, action);
    }

    /// <summary>A warning for every pod whose state cannot be read and every container whose shim is gone, so they are noticed.</summary>
    protected void WarnAboutHealth(IEnumerable<Pod> pods)
    {
        foreach (var pod in pods)
        {
            if (pod.State == PodState.Unknown) WriteWarning($"Pod '{pod.Name}' is Unknown. {pod.Message}");
            WarnAboutHealth(pod.Containers);
        }
    }

    protected void WarnAboutHealth(IEnumerable<PodContainer> containers)
    {
        foreach (var container in containers)
        {
            if (container.State == ContainerState.Unknown && container.Message is { } why)
                WriteWarning($"Container '{container.Name}' of pod '{container.PodName}' is Unknown. {why}");
            else if (container.Reason == Native.Status.ContainerStatusMapper.ShimLostReason)
                WriteWarning($"Container '{container.Name}' of pod '{container.PodName}' runs unwatched. {container.Message}");
        }
    }

    protected void WriteEngineError(PodEngineException e) => WriteError(ErrorBoundary.ToErrorRecord(e));
}
