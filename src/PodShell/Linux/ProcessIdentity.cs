using System;
using System.Globalization;
using System.IO;

namespace PodShell.Linux;

/// <summary>A process named by pid and start time, so a reused pid is never taken for the process we made.</summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    public bool IsAlive => Pid > 0 && ReadStartTime(Pid) == StartTime;

    /// <summary>Field 22 of /proc/PID/stat; null when the process is gone or a zombie.</summary>
    public static ulong? ReadStartTime(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // comm (field 2) may hold spaces and parentheses: parse after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat.Substring(close + 2).Split(' ');
        // fields[0] is field 3 (state); field 22 is fields[19].
        if (fields.Length < 20 || fields[0] == "Z" || fields[0] == "X") return null;
        return ulong.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
