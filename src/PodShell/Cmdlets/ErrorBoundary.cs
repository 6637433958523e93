using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>
/// The one place where an exception becomes an ErrorRecord: a stable id (ErrorIds), a specific category, the
/// target, and the message a user can act on, never a raw stack trace. What a rollback could not undo is added
/// to the message of the error that caused it.
/// </summary>
public static class ErrorBoundary
{
    /// <summary>Exceptions the pipeline must see as they are (Ctrl+C, a downstream Select-Object -First, ...).</summary>
    public static bool IsFlowControl(Exception e) => e is PipelineStoppedException or OperationCanceledException;

    public static ErrorRecord ToErrorRecord(Exception exception, object? target = null)
    {
        var e = Unwrap(exception);
        var (id, category, message, action) = e switch
        {
            PodEngineException p => (p.ErrorId, p.Category, p.Message, p.RecommendedAction),
            UnauthorizedAccessException => (ErrorIds.RootRequired, ErrorCategory.PermissionDenied,
                $"PodShell's state cannot be read: {e.Message}", "Run pwsh as root (for example: sudo pwsh)."),
            IOException => (ErrorIds.PodStateIOError, ErrorCategory.WriteError, e.Message, (string?)null),
            ArgumentException or FormatException => (ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, e.Message, null),
            TimeoutException => (ErrorIds.EngineFailed, ErrorCategory.OperationTimeout, e.Message, null),
            PlatformNotSupportedException or NotSupportedException or NotImplementedException =>
                (ErrorIds.EngineFailed, ErrorCategory.NotImplemented, e.Message, null),
            _ => (ErrorIds.EngineFailed, ErrorCategory.NotSpecified, e.Message, null),
        };
        if (exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions.Count > 1)
        {
            message += " Also: " + string.Join(" ", aggregate.Flatten().InnerExceptions.Skip(1).Select(i => i.Message).Distinct());
        }
        var rollback = RollbackFailures(exception).Concat(exception == e ? Enumerable.Empty<string>() : RollbackFailures(e)).Distinct().ToList();
        if (rollback.Count > 0) message += $" Cleaning up after it also failed: {string.Join("; ", rollback)}";
        var record = new ErrorRecord(new PodShellException(message, e), id, category, (e as PodEngineException)?.Target ?? target);
        if (action is not null) record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
        return record;
    }

    /// <summary>An AggregateException (parallel stops, cgroups in several hierarchies) stands for its first inner failure.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    e = aggregate.Flatten().InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    private static IEnumerable<string> RollbackFailures(Exception e) =>
        e.Data[Rollback.FailuresKey] as IEnumerable<string> ?? Enumerable.Empty<string>();
}
