using System;

namespace PodShell.Engine;

/// <summary>
/// Where an engine writes an exec'd command's output. Called from any thread (stdout and stderr may be
/// written concurrently); the implementation (a cmdlet) marshals to the pipeline thread.
/// </summary>
public interface IExecOutput
{
    void Write(ExecStream stream, ReadOnlySpan<byte> data);
}
