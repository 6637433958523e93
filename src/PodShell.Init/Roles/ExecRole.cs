using System.Collections.Generic;
using PodShell.Init.Process;
using PodShell.Init.Security;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>
/// `exec --config FILE --pid PID [--workdir DIR] [--env K=V]... -- CMD [ARG]...`: joins a running container (its
/// namespaces and cgroups), takes on its user, capabilities and environment, runs CMD with the caller's stdio and exits
/// with its exit code (128+signal when killed). 127 when CMD is not in the container, 126 when joining failed.
/// </summary>
internal static unsafe class ExecRole
{
    private const int SetupFailed = 126;
    private static readonly string[] Order = ["cgroup", "ipc", "uts", "net", "pid", "mnt"];
    private static readonly int[] Forwarded = [Flags.SIGTERM, Flags.SIGINT, Flags.SIGHUP, Flags.SIGQUIT, Flags.SIGUSR1];

    public static int Run(CommandLine line)
    {
        try
        {
            var spec = Output.ReadConfig(line.RequireConfig(), InitJson.Default.ContainerSpec);
            if (line.Pid <= 0) throw new InitException("missing --pid PID (the container's process)");
            if (line.Command.Count == 0) throw new InitException("missing the command after --");
            int lastCap = Capabilities.LastCap();
            var joins = OpenNamespaces(line.Pid);
            foreach (string procs in spec.CgroupProcs) CgroupJoin.Self(procs);
            Check.Ok(Libc.unshare(Flags.CLONE_FS), "unshare(CLONE_FS)");
            foreach (var (fd, name) in joins)
            {
                Check.Ok(Libc.setns(fd, NamespaceFlag(name)), $"setns({name})", $"/proc/{line.Pid}/ns/{name}");
                Libc.close(fd);
            }
            // From here the pid namespace for children differs from ours: no new threads in this process.

            var user = UserResolver.Resolve(spec.User);
            var env = ContainerEnvironment.Build(spec.Environment, user.Home, line.Environment);
            string cwd = line.WorkingDirectory ?? (spec.WorkingDirectory is { Length: > 0 } w ? w : "/");
            Credentials.Apply(spec, user, lastCap);
            Check.Ok(Libc.chdir(cwd), "chdir", cwd);
            string program = CommandResolver.Resolve(line.Command[0], ContainerEnvironment.Get(env, "PATH"));
            return RunAndWait(program, line.Command, ContainerEnvironment.ToStrings(env));
        }
        catch (InitException e)
        {
            Output.Error(e.Message);
            return e.ExitCode == CommandResolver.NotFound ? CommandResolver.NotFound : SetupFailed;
        }
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

    private static int RunAndWait(string program, List<string> argv, string[] envp)
    {
        int signals = SignalSet.BlockIntoSignalFd([.. Forwarded, Flags.SIGCHLD]);
        int child;
        try
        {
            child = Spawner.Spawn(new SpawnOptions { Path = program, Argv = argv, Environment = envp });
        }
        catch (SyscallException e)
        {
            throw new InitException($"exec {program}: {SyscallException.Describe(e.Errno)}",
                e.Errno == Flags.ENOENT ? CommandResolver.NotFound : SetupFailed);
        }
        int status;
        while (true)
        {
            int signal = SignalSet.Read(signals);
            if (signal == Flags.SIGCHLD)
            {
                if (Libc.waitpid(child, &status, Flags.WNOHANG) == child) return Spawner.ExitCode(status);
            }
            else if (signal > 0) Libc.kill(child, signal);
        }
    }
}
