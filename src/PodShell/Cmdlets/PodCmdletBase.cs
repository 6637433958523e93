using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>Shared helpers for every PodShell cmdlet.</summary>
public abstract class PodCmdletBase : PSCmdlet
{
    protected void WriteNonTerminating(string id, ErrorCategory category, object? target, string message, string? recommendedAction = null, System.Exception? inner = null)
    {
        WriteError(MakeError(id, category, target, message, recommendedAction, inner));
    }

    protected void ThrowTerminating(string id, ErrorCategory category, object? target, string message, string? recommendedAction = null, System.Exception? inner = null)
    {
        ThrowTerminatingError(MakeError(id, category, target, message, recommendedAction, inner));
    }

    internal static ErrorRecord MakeError(string id, ErrorCategory category, object? target, string message, string? recommendedAction = null, System.Exception? inner = null)
    {
        var exception = new PodShellException(message, inner);
        var record = new ErrorRecord(exception, id, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }
        return record;
    }
}
