// The stdin channel of `podshell-init exec --tty`, compiled into both PodShell.dll and podshell-init (linked source).
// With a terminal, the caller's stdin pipe carries frames instead of raw bytes, so that keystrokes and window size
// changes travel in order on one pipe: [type: 1 byte][length: 4 bytes, little-endian][payload].
// End of the pipe means the caller is gone: podshell-init hangs the terminal up, as closing a terminal window does.
using System;
using System.Buffers.Binary;

namespace PodShell.Protocol;

public static class ExecFrames
{
    public const int HeaderLength = 5;
    /// <summary>The largest payload a frame may carry; longer input is split.</summary>
    public const int MaxPayload = 64 * 1024;

    /// <summary>Bytes typed by the user, written to the pty as they are (Ctrl+C is 0x03, Ctrl+D 0x04).</summary>
    public const byte Input = 0;
    /// <summary>A window size: columns and rows, 2 bytes each, little-endian.</summary>
    public const byte Resize = 1;

    public static byte[] Data(ReadOnlySpan<byte> bytes)
    {
        var frame = new byte[HeaderLength + bytes.Length];
        frame[0] = Input;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), bytes.Length);
        bytes.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    public static byte[] Size(int columns, int rows)
    {
        var frame = new byte[HeaderLength + 4];
        frame[0] = Resize;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(HeaderLength), (ushort)Math.Clamp(columns, 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(HeaderLength + 2), (ushort)Math.Clamp(rows, 0, ushort.MaxValue));
        return frame;
    }

    /// <summary>
    /// The first complete frame in <paramref name="buffer"/>: its type, payload and total length; false when more bytes
    /// are needed. A frame longer than <see cref="MaxPayload"/> is a protocol error.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out byte type, out ReadOnlySpan<byte> payload, out int consumed)
    {
        type = 0;
        payload = default;
        consumed = 0;
        if (buffer.Length < HeaderLength) return false;
        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer[1..]);
        if (length < 0 || length > MaxPayload) throw new FormatException($"exec frame of {length} bytes");
        if (buffer.Length < HeaderLength + length) return false;
        type = buffer[0];
        payload = buffer.Slice(HeaderLength, length);
        consumed = HeaderLength + length;
        return true;
    }

    public static (int Columns, int Rows) ReadSize(ReadOnlySpan<byte> payload) =>
        payload.Length < 4 ? (0, 0)
            : (BinaryPrimitives.ReadUInt16LittleEndian(payload), BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]));
}
