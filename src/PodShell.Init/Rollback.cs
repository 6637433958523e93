using System;
using System.Collections.Generic;

namespace PodShell.Init;

/// <summary>Undo steps of a half-made sandbox, run in reverse order on failure.</summary>
internal sealed class Rollback
{
    private readonly List<Action> _steps = new();

    public void Add(Action step) => _steps.Add(step);

    public void Run()
    {
        for (int i = _steps.Count - 1; i >= 0; i--)
        {
            try { _steps[i](); }
            catch (Exception) { }
        }
        _steps.Clear();
    }
}
