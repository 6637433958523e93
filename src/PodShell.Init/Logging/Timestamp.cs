using System;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Logging;

internal static unsafe class Timestamp
{
    public const int Length = 30; // 2006-01-02T15:04:05.000000000Z

    /// <summary>Writes the current UTC time as containerd's CRI logger does (RFC 3339, nine fraction digits), without allocating.</summary>
    public static void WriteNow(Span<byte> destination)
    {
        TimeSpec now;
        Libc.clock_gettime(Flags.CLOCK_REALTIME, &now);
        var time = DateTime.UnixEpoch.AddSeconds(now.Seconds);
        Digits(destination[0..4], time.Year);
        destination[4] = (byte)'-';
        Digits(destination[5..7], time.Month);
        destination[7] = (byte)'-';
        Digits(destination[8..10], time.Day);
        destination[10] = (byte)'T';
        Digits(destination[11..13], time.Hour);
        destination[13] = (byte)':';
        Digits(destination[14..16], time.Minute);
        destination[16] = (byte)':';
        Digits(destination[17..19], time.Second);
        destination[19] = (byte)'.';
        Digits(destination[20..29], now.Nanoseconds);
        destination[29] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, long value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
