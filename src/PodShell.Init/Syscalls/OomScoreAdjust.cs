namespace PodShell.Init.Syscalls;

/// <summary>Sets the calling process's oom_score_adj, which its children and exec keep.</summary>
internal static class OomScoreAdjust
{
    /// <summary>
    /// Writes /proc/self/oom_score_adj. Lowering it below the process's floor needs CAP_SYS_RESOURCE (EACCES
    /// without it): then 0 is written, the lowest allowed, which still sorts below every Burstable score (3 and up).
    /// </summary>
    public static void Self(int score)
    {
        const string path = "/proc/self/oom_score_adj";
        try
        {
            Fd.WriteExisting(path, score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (SyscallException e) when (e.Errno == Flags.EACCES && score < 0)
        {
            Fd.WriteExisting(path, "0");
        }
    }
}
