using System;
using System.IO;
using System.IO.Compression;
using PodShell.Images.Oci;
using PodShell.IO;

namespace PodShell.Images.Unpack;

/// <summary>Opens a layer's tar stream from its blob: gzip, zstd or plain, by media type or by magic bytes.</summary>
internal static class Decompression
{
    private static readonly byte[] GzipMagic = { 0x1f, 0x8b };
    private static readonly byte[] ZstdMagic = { 0x28, 0xb5, 0x2f, 0xfd };

    public static Stream Open(Stream blob, LayerCompression declared)
    {
        // The magic bytes decide, not the declared type: docker save and some registries mislabel layers. A layer
        // whose bytes differ from what its digest promises fails that check anyway.
        var peekable = new PeekStream(blob, 4);
        var head = peekable.Peek();
        var actual = head.StartsWith(GzipMagic) ? LayerCompression.Gzip
            : head.StartsWith(ZstdMagic) ? LayerCompression.Zstd
            : LayerCompression.None;
        return actual switch
        {
            LayerCompression.Gzip => new GZipStream(peekable, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => Zstd.Decompress(peekable),
            _ => peekable,
        };
    }

    /// <summary>A forward-only stream whose first few bytes can be looked at before reading.</summary>
    private sealed class PeekStream(Stream inner, int size) : ForwardOnlyStream
    {
        private readonly byte[] _head = new byte[size];
        private int _headLength = -1;
        private int _headPosition;

        public ReadOnlySpan<byte> Peek()
        {
            if (_headLength < 0)
            {
                _headLength = 0;
                while (_headLength < _head.Length)
                {
                    var read = inner.Read(_head, _headLength, _head.Length - _headLength);
                    if (read == 0) break;
                    _headLength += read;
                }
            }
            return _head.AsSpan(0, _headLength);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Peek();
            if (_headPosition < _headLength)
            {
                var n = Math.Min(buffer.Length, _headLength - _headPosition);
                _head.AsSpan(_headPosition, n).CopyTo(buffer);
                _headPosition += n;
                return n;
            }
            return inner.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
