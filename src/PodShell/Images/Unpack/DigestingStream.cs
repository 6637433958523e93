using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Images.Reference;
using PodShell.IO;

namespace PodShell.Images.Unpack;

/// <summary>
/// Reads through to an inner stream while hashing and counting; optionally copies every byte to a file.
/// Reading more than the expected size fails at once, so a lying registry cannot fill the disk.
/// </summary>
internal sealed class DigestingStream : ForwardOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash;
    private readonly Stream? _copy;
    private readonly long _limit;
    private readonly Action<long>? _onRead;

    public DigestingStream(Stream inner, Digest algorithmOf, long limit = long.MaxValue, Stream? copy = null, Action<long>? onRead = null)
    {
        _inner = inner;
        _hash = algorithmOf.NewHash();
        _limit = limit;
        _copy = copy;
        _onRead = onRead;
        Algorithm = algorithmOf.Algorithm;
    }

    public string Algorithm { get; }
    public long BytesRead { get; private set; }

    public Digest Finish() => new(Algorithm, Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant());

    /// <summary>Reads what is left, so the digest covers the whole stream (tar readers stop at the end marker).</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer, 0, buffer.Length) > 0) { }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Account(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        BytesRead += data.Length;
        if (BytesRead > _limit) throw new SizeExceededException(_limit);
        _hash.AppendData(data);
        _copy?.Write(data);
        _onRead?.Invoke(data.Length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class SizeExceededException(long limit) : IOException($"The content is larger than the {limit} bytes its descriptor gives.");
