using System;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Logging;

/// <summary>
/// container.log in the CRI format kubelet reads: `TIMESTAMP STREAM TAG CONTENT`, TAG F for a full line and P for a
/// partial one (a line longer than 16 KiB is cut, and a last line without newline at EOF is partial), as containerd writes it.
/// Rotated as kubelet rotates: past the maximum size the file becomes container.log.1 (older ones shift up to the
/// maximum count, the oldest is deleted). A failed write (a full disk) is counted and backed off, never retried in a loop.
/// </summary>
internal sealed class CriLogWriter
{
    public const int MaxLine = 16 * 1024;
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private int _fd;
    private long _size;
    private readonly byte[] _line = new byte[Timestamp.Length + 10 + MaxLine + 1];
    private readonly LineBuffer _stdout = new("stdout"u8.ToArray());
    private readonly LineBuffer _stderr = new("stderr"u8.ToArray());

    public CriLogWriter(string path, long maxSize = 0, int maxFiles = 1)
    {
        _path = path;
        _maxSize = maxSize;
        _maxFiles = Math.Max(maxFiles, 1);
        _fd = Fd.Open(path, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND, 0x1a0);
        _size = Libc.lseek(_fd, 0, 2);
    }

    /// <summary>Lines lost to write failures since the last successful write (0 when all is well).</summary>
    public long DroppedLines { get; private set; }

    /// <summary>The errno of the last failed write, or 0 once writing works again.</summary>
    public int LastError { get; private set; }

    /// <summary>Until when the shim should leave the container's pipes unread after a failed write (Environment.TickCount64).</summary>
    public long BackOffUntil { get; private set; }

    private int _failures;

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
        if (_maxSize > 0 && _size > 0 && _size + at > _maxSize) Rotate();
        try
        {
            Fd.WriteAll(_fd, line[..at]);
            _size += at;
            DroppedLines = 0;
            LastError = 0;
            _failures = 0;
        }
        catch (SyscallException e)
        {
            // A full disk must not kill the shim nor make it spin: the line is lost, and reading pauses a while
            // (the container then blocks on its full pipe, as it would on a slow disk).
            DroppedLines++;
            LastError = e.Errno;
            _failures = Math.Min(_failures + 1, 10);
            BackOffUntil = Environment.TickCount64 + Math.Min(50L << _failures, 5_000);
        }
    }

    private void Rotate()
    {
        try
        {
            if (_maxFiles <= 1)
            {
                Check.Ok(Libc.ftruncate(_fd, 0), "ftruncate", _path);
                _size = 0;
                return;
            }
            Libc.unlink($"{_path}.{_maxFiles - 1}");
            for (int i = _maxFiles - 2; i >= 1; i--) Libc.rename($"{_path}.{i}", $"{_path}.{i + 1}");
            Check.Ok(Libc.rename(_path, _path + ".1"), "rename", _path);
            int fd = Fd.Open(_path, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND, 0x1a0);
            Libc.close(_fd);
            _fd = fd;
            _size = 0;
        }
        catch (InitException e)
        {
            ShimLog.Write("cannot rotate the log: " + e.Message);
        }
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
