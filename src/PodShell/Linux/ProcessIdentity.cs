namespace PodShell.Linux;

/// <summary>A process named by pid and start time, so a reused pid is never taken for the process we made.</summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    public bool IsAlive => Pid > 0 && ReadStartTime(Pid) == StartTime;

    /// <summary>Field 22 of /proc/PID/stat; null when the process is gone or a zombie.</summary>
    public static ulong? ReadStartTime(int pid) => ProcFs.ReadStat(pid) is { IsGone: false } stat ? stat.StartTime : null;
}
