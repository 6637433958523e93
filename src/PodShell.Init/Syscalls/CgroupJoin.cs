namespace PodShell.Init.Syscalls;

/// <summary>Moves the calling thread into a cgroup before it spawns or execs what must be born there.</summary>
internal static class CgroupJoin
{
    private const string Procs = "/cgroup.procs";

    /// <summary>
    /// Writes "0" to the v1 `tasks` file next to the given cgroup.procs (v2 has none: cgroup.procs is written).
    /// Moving the whole thread group through cgroup.procs write-locks the global cgroup_threadgroup_rwsem, whose
    /// first writer in a while waits for an RCU grace period (12-15 ms measured); moving only the current thread
    /// skips that lock. The thread that moves is the one that spawns (children are born in its cgroups) or execs
    /// (exec ends the other threads), so the new process lands in the cgroup as wholly as before.
    /// </summary>
    public static void Self(string procsFile)
    {
        if (procsFile.EndsWith(Procs, System.StringComparison.Ordinal))
        {
            string tasks = procsFile[..^Procs.Length] + "/tasks";
            int fd = Libc.open(tasks, Flags.O_WRONLY | Flags.O_CLOEXEC, 0);
            if (fd >= 0)
            {
                try { Fd.WriteExisting(fd, tasks, "0"); }
                finally { Libc.close(fd); }
                return;
            }
        }
        Fd.WriteExisting(procsFile, "0");
    }
}
