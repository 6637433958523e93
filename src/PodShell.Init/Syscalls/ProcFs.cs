using System;
using PodShell.Linux;

namespace PodShell.Init.Syscalls;

internal static class ProcFs
{
    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot); 0 when the process is gone or a zombie.</summary>
    public static ulong StartTime(int pid)
    {
        string? text = Fd.TryReadText($"/proc/{pid}/stat");
        return text is not null && ProcStat.TryParse(text, out var stat) && !stat.IsGone ? stat.StartTime : 0;
    }

    public static bool IsAlive(int pid, ulong startTime) =>
        pid > 0 && StartTime(pid) is var t && t != 0 && (startTime == 0 || t == startTime);

    public static string SelfExe() => Environment.ProcessPath ?? Fd.ReadLink("/proc/self/exe") ?? "/proc/self/exe";
}
