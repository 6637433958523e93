using System;
using System.Management.Automation;
using System.Reflection;

namespace PodShell.Exec;

/// <summary>
/// Writes a command's stderr lines the way pwsh 7.4 writes a native command's: ErrorRecords with the ids
/// NativeCommandError (first line) and NativeCommandErrorMessage around a RemoteException, shown as plain text, redirectable with 2&gt; and 2&gt;&amp;1, and
/// never stopping the script, whatever $ErrorActionPreference or -ErrorAction say (pwsh exempts native stderr from
/// them; an explicit -ErrorAction SilentlyContinue or Ignore on the cmdlet itself is honoured). pwsh does that through an internal path a cmdlet cannot call, so for the length of the write the
/// cmdlet's error action is Continue, through the runtime's (non-public) ErrorAction property; should a future pwsh
/// drop it, the lines go to the host's error output instead (shown, but not redirectable).
/// </summary>
internal sealed class NativeErrorStream
{
    private static readonly PropertyInfo? ErrorAction = typeof(PSObject).Assembly
        .GetType("System.Management.Automation.MshCommandRuntime")?
        .GetProperty("ErrorAction", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Keeps the record's id exactly "NativeCommandError" (pwsh's error view shows those as plain text) instead of "NativeCommandError,&lt;cmdlet type&gt;".</summary>
    private static readonly PropertyInfo? PreserveInvocationInfoOnce =
        typeof(ErrorRecord).GetProperty("PreserveInvocationInfoOnce", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly PSCmdlet _cmdlet;
    private readonly object _target;

    public NativeErrorStream(PSCmdlet cmdlet, object target)
    {
        _cmdlet = cmdlet;
        _target = target;
    }

    private bool _first = true;

    public void WriteLine(string line)
    {
        // pwsh's ids: the first line of a command's stderr, then the lines after it.
        var id = _first ? "NativeCommandError" : "NativeCommandErrorMessage";
        _first = false;
        var record = new ErrorRecord(new RemoteException(line), id, ErrorCategory.NotSpecified, _target);
        PreserveInvocationInfoOnce?.SetValue(record, true);
        var runtime = _cmdlet.CommandRuntime;
        if (_cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var asked) &&
            LanguagePrimitives.ConvertTo<ActionPreference>(asked) is ActionPreference.SilentlyContinue or ActionPreference.Ignore)
        {
            _cmdlet.WriteError(record);
            return;
        }
        if (ErrorAction is not null && ErrorAction.DeclaringType!.IsInstanceOfType(runtime))
        {
            var before = ErrorAction.GetValue(runtime);
            ErrorAction.SetValue(runtime, ActionPreference.Continue);
            try { _cmdlet.WriteError(record); }
            finally { ErrorAction.SetValue(runtime, before); }
            return;
        }
        _cmdlet.Host.UI.WriteErrorLine(line);
    }
}
