using System;
using System.Globalization;

namespace PodShell.Native.Logging;

/// <summary>RFC 3339 timestamps with up to nine fraction digits (containerd's CRI logger writes nine; .NET keeps seven).</summary>
internal static class CriTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[10] != 'T') return false;
        if (!DateTime.TryParseExact(text[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var seconds)) return false;
        var rest = text[19..];
        long ticks = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 0;
            rest = rest[1..];
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
            if (digits == 0) return false;
            for (var i = 0; i < 7; i++) ticks = ticks * 10 + (i < digits ? rest[i] - '0' : 0);
            rest = rest[digits..];
        }
        TimeSpan offset;
        if (rest is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':'
                 && int.TryParse(rest[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
                 && int.TryParse(rest[4..6], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            offset = new TimeSpan(hours, minutes, 0);
            if (rest[0] == '-') offset = -offset;
        }
        else
        {
            return false;
        }
        value = new DateTimeOffset(seconds.AddTicks(ticks), offset);
        return true;
    }
}
