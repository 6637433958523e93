using System;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Logging;

/// <summary>
/// container.log in the CRI format kubelet reads: `TIMESTAMP STREAM TAG CONTENT`, TAG F for a full line and P for a
/// partial one (a line longer than 16 KiB is cut, and a last line without newline at EOF is partial), as containerd writes it.
/// </summary>
internal sealed class CriLogWriter
{
    public const int MaxLine = 16 * 1024;
    private readonly int _fd;
    private readonly byte[] _line = new byte[Timestamp.Length + 10 + MaxLine + 1];
    private readonly LineBuffer _stdout = new("stdout"u8.ToArray());
    private readonly LineBuffer _stderr = new("stderr"u8.ToArray());

    public CriLogWriter(string path) =>
        _fd = Fd.Open(path, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND, 0x1a0);

    public void Append(bool stderr, ReadOnlySpan<byte> data)
    {
        LineBuffer stream = stderr ? _stderr : _stdout;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> segment = newline >= 0 ? data[..newline] : data;
            while (stream.Length + segment.Length > MaxLine)
            {
                int take = MaxLine - stream.Length;
                stream.Add(segment[..take]);
                Emit(stream, (byte)'P');
                segment = segment[take..];
            }
            stream.Add(segment);
            if (newline < 0) return;
            Emit(stream, (byte)'F');
            data = data[(newline + 1)..];
        }
    }

    /// <summary>At EOF of a stream: what is left had no newline, so it is a partial line.</summary>
    public void Finish(bool stderr)
    {
        LineBuffer stream = stderr ? _stderr : _stdout;
        if (stream.Length > 0) Emit(stream, (byte)'P');
    }

    private void Emit(LineBuffer stream, byte tag)
    {
        Span<byte> line = _line;
        Timestamp.WriteNow(line);
        int at = Timestamp.Length;
        line[at++] = (byte)' ';
        stream.Name.CopyTo(line[at..]);
        at += stream.Name.Length;
        line[at++] = (byte)' ';
        line[at++] = tag;
        line[at++] = (byte)' ';
        stream.Content.CopyTo(line[at..]);
        at += stream.Length;
        line[at++] = (byte)'\n';
        stream.Clear();
        try { Fd.WriteAll(_fd, line[..at]); }
        catch (InitException) { } // a full disk must not kill the container's shim
    }

    private sealed class LineBuffer(byte[] name)
    {
        private readonly byte[] _content = new byte[MaxLine];
        public byte[] Name { get; } = name;
        public int Length { get; private set; }
        public ReadOnlySpan<byte> Content => _content.AsSpan(0, Length);

        public void Add(ReadOnlySpan<byte> data)
        {
            data.CopyTo(_content.AsSpan(Length));
            Length += data.Length;
        }

        public void Clear() => Length = 0;
    }
}
