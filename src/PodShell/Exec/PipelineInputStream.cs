using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using PodShell.IO;

namespace PodShell.Exec;

/// <summary>
/// The command's stdin as it arrives from the pipeline: the pipeline thread adds chunks (bounded, so a command that
/// reads slowly holds the pipeline back instead of memory growing), the engine reads them on its own thread.
/// </summary>
internal sealed class PipelineInputStream : ForwardOnlyStream
{
    private const int Capacity = 64;
    private readonly BlockingCollection<byte[]> _chunks = new(Capacity);
    private byte[]? _current;
    private int _offset;

    /// <summary>
    /// Queues a chunk; false when there is no room within the timeout (the caller pumps output meanwhile). After
    /// <see cref="Complete"/> (Ctrl+C) the chunk is dropped.
    /// </summary>
    public bool TryAdd(byte[] chunk, TimeSpan timeout)
    {
        if (chunk.Length == 0 || _chunks.IsAddingCompleted) return true;
        try { return _chunks.TryAdd(chunk, timeout); }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>End of input: the command reads end-of-file once it has read what was queued.</summary>
    public void Complete() => _chunks.CompleteAdding();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count), CancellationToken.None);

    public override int Read(Span<byte> buffer) => Read(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Factory.StartNew(() => Read(buffer.Span, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Read(Span<byte> buffer, CancellationToken cancel)
    {
        if (_current is null || _offset == _current.Length)
        {
            if (!_chunks.TryTake(out _current, Timeout.Infinite, cancel)) return 0;
            _offset = 0;
        }
        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _chunks.Dispose();
        base.Dispose(disposing);
    }
}
