using System;
using System.Collections.Generic;
using PodShell.Init.Process;
using PodShell.Init.Security;
using PodShell.Init.Syscalls;
using PodShell.Init.Terminal;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>
/// `exec --config FILE --pid PID [--workdir DIR] [--env K=V]... [--no-stdin] [--tty [--columns N --rows N]] -- CMD [ARG]...`:
/// joins a running container (its namespaces and cgroups), takes on its user, capabilities and environment, and runs
/// CMD in a session of its own, so that no terminal of the caller is ever its controlling terminal.
/// Without --tty, CMD gets this process's stdin (or /dev/null with --no-stdin), stdout and stderr, which the caller
/// makes pipes. With --tty, CMD gets a pty of the container's devpts as stdio and controlling terminal; stdin carries
/// <see cref="ExecFrames"/> and stdout the terminal's output, relayed by this process.
/// Exits with CMD's exit code (128+signal when killed); 127 when CMD is not in the container, 126 when joining failed.
/// SIGINT, SIGTERM, SIGQUIT, SIGUSR1/2 are passed on to CMD's process group; SIGHUP hangs the terminal up.
/// </summary>
internal static unsafe class ExecRole
{
    private const int SetupFailed = 126;
    private static readonly string[] Order = ["cgroup", "ipc", "uts", "net", "pid", "mnt"];
    private static readonly int[] Forwarded = [Flags.SIGTERM, Flags.SIGINT, Flags.SIGHUP, Flags.SIGQUIT, Flags.SIGUSR1, Flags.SIGUSR2];

    public static int Run(CommandLine line)
    {
        try
        {
            LeaveCallerSession();
            var spec = Output.ReadConfig(line.RequireConfig(), InitJson.Default.ContainerSpec);
            if (line.Pid <= 0) throw new InitException("missing --pid PID (the container's process)");
            if (line.Command.Count == 0) throw new InitException("missing the command after --");
            SealedBinary.MakeNonDumpable();
            int lastCap = Capabilities.LastCap();
            using var seccomp = Seccomp.Compile(spec);
            var joins = OpenNamespaces(line.Pid);
            foreach (string procs in spec.CgroupProcs) CgroupJoin.Self(procs);
            Check.Ok(Libc.unshare(Flags.CLONE_FS), "unshare(CLONE_FS)");
            foreach (var (fd, name) in joins)
            {
                Check.Ok(Libc.setns(fd, NamespaceFlag(name)), $"setns({name})", $"/proc/{line.Pid}/ns/{name}");
                Libc.close(fd);
            }
            // From here the pid namespace for children differs from ours: no new threads in this process.

            var user = UserResolver.Resolve(spec.User, extraGroups: spec.SupplementalGroups, groupFile: spec.GroupFileGroups);
            var env = ContainerEnvironment.Build(spec.Environment, user.Home, line.Environment);
            // docker exec -t sets TERM=xterm when neither the image nor the caller says otherwise.
            if (line.Tty && ContainerEnvironment.Get(env, "TERM").Length == 0) env.Add(new("TERM", "xterm"));
            string cwd = line.WorkingDirectory ?? (spec.WorkingDirectory is { Length: > 0 } w ? w : "/");
            seccomp?.LoadBeforeIdentity();
            EnterContainerSecurity(spec, user, lastCap);
            Check.Ok(Libc.chdir(cwd), "chdir", cwd);
            string program = CommandResolver.Resolve(line.Command[0], ContainerEnvironment.Get(env, "PATH"));
            // Opened as the exec'd user, so the slave /dev/pts/N is theirs (mode 620, group tty), as under docker exec.
            var pty = line.Tty ? Pty.Open(line.Columns, line.Rows) : null;
            seccomp?.LoadLast();
            return RunAndWait(program, line, ContainerEnvironment.ToStrings(env), pty);
        }
        catch (Exception failure)
        {
            var e = InitException.From(failure);
            Output.Error(e.Message);
            return e.ExitCode == CommandResolver.NotFound ? CommandResolver.NotFound : SetupFailed;
        }
    }

    /// <summary>
    /// A session of our own before anything else: the caller's controlling terminal (if any) is no longer ours, so
    /// nothing started from here can reach it (/dev/tty, TIOCSTI, job-control signals). Every inherited fd above 2
    /// is closed at exec.
    /// </summary>
    private static void LeaveCallerSession()
    {
        Libc.close_range(3, uint.MaxValue, Flags.CLOSE_RANGE_CLOEXEC);
        if (Libc.setsid() >= 0) return;
        // Already a process-group leader (a shell's job): give the terminal up without becoming a session leader.
        int tty = Libc.open("/dev/tty", Flags.O_RDWR | Flags.O_NOCTTY | Flags.O_CLOEXEC, 0);
        if (tty < 0) return; // ENXIO: there is no controlling terminal to give up
        Libc.ioctl(tty, Flags.TIOCNOTTY, null);
        Libc.close(tty);
    }

    /// <summary>
    /// The container's security settings on this process, which the spawned command inherits: capabilities, user,
    /// no_new_privs (and, from the hardening work, the container's seccomp filter: it goes last, here, after which
    /// this process only polls, reads, writes, waits and signals).
    /// </summary>
    private static void EnterContainerSecurity(ContainerSpec spec, ResolvedUser user, int lastCap)
    {
        Credentials.Apply(spec, user, lastCap);
    }

    private static List<(int Fd, string Name)> OpenNamespaces(int pid)
    {
        var joins = new List<(int, string)>();
        foreach (string name in Order)
        {
            string theirs = $"/proc/{pid}/ns/{name}";
            string? target = Fd.ReadLink(theirs);
            if (target is null) throw new InitException($"container process {pid} is not running ({theirs})");
            if (target == Fd.ReadLink($"/proc/self/ns/{name}")) continue;
            joins.Add((Fd.Open(theirs, Flags.O_RDONLY), name));
        }
        return joins;
    }

    private static int NamespaceFlag(string name) => name == "mnt" ? Flags.CLONE_NEWNS : ShimDaemon.NamespaceType(name);

    private static int RunAndWait(string program, CommandLine line, string[] envp, Pty? pty)
    {
        int signals = SignalSet.BlockIntoSignalFd([.. Forwarded, Flags.SIGCHLD]);
        var options = new SpawnOptions { Path = program, Argv = line.Command, Environment = envp, NewSession = true };
        if (pty is not null)
        {
            // A session leader without a terminal that opens one (no O_NOCTTY) makes it its controlling terminal.
            for (int fd = 0; fd <= 2; fd++) options.Open.Add((fd, pty.SlavePath, Flags.O_RDWR));
        }
        else if (line.NoStdin) options.Open.Add((0, "/dev/null", Flags.O_RDONLY));
        int child;
        try
        {
            child = Spawner.Spawn(options);
        }
        catch (SyscallException e)
        {
            throw new InitException($"exec {program}: {SyscallException.Describe(e.Errno)}",
                e.Errno == Flags.ENOENT ? CommandResolver.NotFound : SetupFailed);
        }
        if (pty is not null) return Spawner.ExitCode(new TtyRelay(pty, child, signals).Run());
        ReleaseStdio();
        while (true)
        {
            int signal = SignalSet.Read(signals);
            int status;
            if (signal == Flags.SIGCHLD)
            {
                if (Libc.waitpid(child, &status, Flags.WNOHANG) == child) return Spawner.ExitCode(status);
            }
            else if (signal > 0 && Libc.kill(-child, signal) < 0) Libc.kill(child, signal);
        }
    }

    /// <summary>
    /// The command holds the caller's stdin and stdout pipes now; ours would keep them open after it closed them:
    /// no end-of-file for the caller's reader, no EPIPE for a caller still writing input nobody reads.
    /// </summary>
    private static void ReleaseStdio()
    {
        int devNull = Libc.open("/dev/null", Flags.O_RDWR | Flags.O_CLOEXEC, 0);
        if (devNull < 0) return;
        Libc.dup2(devNull, 0);
        Libc.dup2(devNull, 1);
        Libc.close(devNull);
    }
}
