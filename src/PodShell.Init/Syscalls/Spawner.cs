using System.Collections.Generic;

namespace PodShell.Init.Syscalls;

internal sealed class SpawnOptions
{
    public required string Path { get; init; }
    public required IReadOnlyList<string> Argv { get; init; }
    public IReadOnlyList<string> Environment { get; init; } = [];
    /// <summary>Child fd = parent fd (stdio, report and sync pipes).</summary>
    public List<(int Target, int Source)> Dup { get; } = new();
    /// <summary>Child fd = a file opened in the child (/dev/null, shim.log).</summary>
    public List<(int Target, string Path, int Flags)> Open { get; } = new();
    public bool NewSession { get; init; }
    /// <summary>Signals the child starts with blocked (pause and shim read them from a signalfd, so every thread must block them from birth).</summary>
    public int[] Blocked { get; init; } = [];
}

/// <summary>posix_spawn (clone(CLONE_VM|CLONE_VFORK) in glibc): never fork() from managed code.</summary>
internal static unsafe class Spawner
{
    public static int Spawn(SpawnOptions options)
    {
        byte* actions = stackalloc byte[256];
        byte* attributes = stackalloc byte[1024];
        Libc.posix_spawn_file_actions_init(actions);
        Libc.posix_spawnattr_init(attributes);
        var temporaries = new List<int>();
        try
        {
            foreach (var (target, file, flags) in options.Open)
                Libc.posix_spawn_file_actions_addopen(actions, target, file, flags, 0x1a4);
            foreach (var (target, source) in options.Dup)
            {
                // A source that is also some dup target would be clobbered by an earlier dup2: move it out of the way.
                int from = source;
                if (source < 16)
                {
                    from = Check.Ok(Libc.fcntl(source, Flags.F_DUPFD_CLOEXEC, 16), "fcntl(F_DUPFD_CLOEXEC)");
                    temporaries.Add(from);
                }
                Libc.posix_spawn_file_actions_adddup2(actions, from, target);
            }

            var defaults = SignalSet.All();
            var mask = SignalSet.Of(options.Blocked);
            Libc.posix_spawnattr_setsigdefault(attributes, &defaults);
            Libc.posix_spawnattr_setsigmask(attributes, &mask);
            short spawnFlags = Flags.POSIX_SPAWN_SETSIGDEF | Flags.POSIX_SPAWN_SETSIGMASK;
            if (options.NewSession) spawnFlags |= Flags.POSIX_SPAWN_SETSID;
            Libc.posix_spawnattr_setflags(attributes, spawnFlags);

            using var argv = new NativeStrings(options.Argv);
            var environment = options.Environment;
            if (options.Environment.Count == 0 && Diagnostics.Trace.EnvironmentEntry is { } trace) environment = [.. environment, trace];
            using var envp = new NativeStrings(environment);
            Diagnostics.Trace.Mark("spawn " + options.Argv[options.Argv.Count > 1 ? 1 : 0]);
            using var path = new NativeStrings([options.Path]);
            int pid;
            int rc = Libc.posix_spawn(&pid, path[0], actions, attributes, argv.Pointer, envp.Pointer);
            if (rc != 0) throw new SyscallException("posix_spawn", rc, options.Path);
            return pid;
        }
        finally
        {
            foreach (int fd in temporaries) Libc.close(fd);
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attributes);
        }
    }

    /// <summary>Blocking waitpid for one child; returns the raw status.</summary>
    public static int Wait(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0)
        {
            if (Check.Errno != Flags.EINTR) throw new SyscallException("waitpid", Check.Errno, pid.ToString());
        }
        return status;
    }

    /// <summary>Exit code as a shell reports it: WEXITSTATUS, or 128 + the signal.</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
