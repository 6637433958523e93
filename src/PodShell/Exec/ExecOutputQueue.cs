using System;
using System.Collections.Concurrent;
using System.Threading;
using PodShell.Engine;

namespace PodShell.Exec;

/// <summary>Where stdout goes instead of the queue (the caller's terminal, with a pty); called on the engine's threads.</summary>
internal delegate void StdoutSink(ReadOnlySpan<byte> data);

/// <summary>
/// Output of an exec'd command, handed from the engine's threads to the pipeline thread (the only one that may call
/// WriteObject and WriteError). Unbounded: the engine never waits on the pipeline, so a command that fills stdout
/// while the pipeline is still feeding its stdin cannot deadlock with it.
/// </summary>
internal sealed class ExecOutputQueue : IExecOutput, IDisposable
{
    private readonly BlockingCollection<(ExecStream Stream, byte[] Data)> _chunks = new();
    private readonly StdoutSink? _stdoutSink;

    /// <param name="stdoutSink">Where stdout goes directly instead of the queue (the caller's terminal, with a pty).</param>
    public ExecOutputQueue(StdoutSink? stdoutSink = null) => _stdoutSink = stdoutSink;

    public void Write(ExecStream stream, ReadOnlySpan<byte> data)
    {
        if (stream == ExecStream.Stdout && _stdoutSink is not null) _stdoutSink(data);
        else _chunks.Add((stream, data.ToArray()));
    }

    public bool TryTake(out (ExecStream Stream, byte[] Data) chunk, TimeSpan timeout) =>
        _chunks.TryTake(out chunk, (int)timeout.TotalMilliseconds);

    public bool TryTake(out (ExecStream Stream, byte[] Data) chunk) => _chunks.TryTake(out chunk);

    public void Dispose() => _chunks.Dispose();
}
