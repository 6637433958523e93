using System;
using System.Globalization;

namespace PodShell.Init.Syscalls;

internal static class ProcFs
{
    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot); 0 when the process is gone or a zombie.</summary>
    public static ulong StartTime(int pid)
    {
        string? stat = Fd.TryReadText($"/proc/{pid}/stat");
        if (stat is null) return 0;
        int close = stat.LastIndexOf(')');
        if (close < 0) return 0;
        string[] fields = stat.Substring(close + 2).Split(' ');
        if (fields.Length < 20 || fields[0] == "Z" || fields[0] == "X") return 0;
        return ulong.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    public static bool IsAlive(int pid, ulong startTime) =>
        pid > 0 && StartTime(pid) is var t && t != 0 && (startTime == 0 || t == startTime);

    public static string SelfExe() => Environment.ProcessPath ?? Fd.ReadLink("/proc/self/exe") ?? "/proc/self/exe";
}
