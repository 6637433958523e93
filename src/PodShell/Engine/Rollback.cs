using System;
using System.Collections.Generic;

namespace PodShell.Engine;

/// <summary>Undo after a failure, without ever letting the undo's own failure hide the error that caused it.</summary>
public static class Rollback
{
    /// <summary>The key under which <see cref="Exception.Data"/> of the original error lists what its rollback could not undo.</summary>
    public const string FailuresKey = "PodShell.RollbackFailures";

    /// <summary>Runs <paramref name="undo"/>; a failure of it is recorded on <paramref name="original"/> and otherwise swallowed.</summary>
    public static void Undo(Exception original, Action undo)
    {
        try
        {
            undo();
        }
        catch (Exception failure)
        {
            if (original.Data[FailuresKey] is not List<string> failures)
            {
                failures = new List<string>();
                original.Data[FailuresKey] = failures;
            }
            failures.Add(failure.Message);
        }
    }
}
