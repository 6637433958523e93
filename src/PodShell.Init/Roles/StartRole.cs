using System;
using PodShell.Init.Diagnostics;
using PodShell.Init.Mounts;
using PodShell.Init.Process;
using PodShell.Init.Security;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>
/// `start --config FILE --sync-fd N`: the container's first process before exec. Joins the container's cgroups,
/// builds and enters the rootfs, becomes the user, and execs the command. A failure is written to the sync fd
/// (exit 127 for a command that is not there, 1 otherwise); on success the sync fd just closes at exec.
/// </summary>
internal static unsafe class StartRole
{
    public static int Run(CommandLine line)
    {
        int sync = line.SyncFd;
        try
        {
            var spec = Output.ReadConfig(line.RequireConfig(), InitJson.Default.ContainerSpec);
            if (spec.Args.Count == 0) throw new InitException("args is empty: no command to run", CommandResolver.NotFound);
            Trace.Mark("config");
            SealedBinary.MakeNonDumpable();
            using var seccomp = Seccomp.Compile(spec);
            foreach (string procs in spec.CgroupProcs) CgroupJoin.Self(procs);
            if (spec.OomScoreAdj is int score) OomScoreAdjust.Self(score);
            Libc.umask(0x12); // 022 while building and for the container, as runc sets it
            int lastCap = Capabilities.LastCap();
            Trace.Mark("cgroup");
            new RootfsBuilder(spec).Build();
            Trace.Mark("rootfs");

            var user = UserResolver.Resolve(spec.User, extraGroups: spec.SupplementalGroups, groupFile: spec.GroupFileGroups);
            var env = ContainerEnvironment.Build(spec.Environment, user.Home, []);
            string cwd = spec.WorkingDirectory is { Length: > 0 } w ? w : "/";
            Trace.Mark("user-env");
            seccomp?.LoadBeforeIdentity();
            Credentials.Apply(spec, user, lastCap);
            Trace.Mark("identity");
            Check.Ok(Libc.chdir(cwd), "chdir", cwd);
            string program = CommandResolver.Resolve(spec.Args[0], ContainerEnvironment.Get(env, "PATH"));
            seccomp?.LoadLast();
            Trace.Mark("exec");
            Exec(program, spec.Args.ToArray(), ContainerEnvironment.ToStrings(env));
            return 1; // not reached
        }
        catch (Exception failure)
        {
            var e = InitException.From(failure);
            if (sync >= 0)
            {
                try { Fd.WriteAll(sync, e.Message); }
                catch (InitException) { }
            }
            else Output.Error(e.Message);
            return e.ExitCode;
        }
    }

    /// <summary>execve with default signal dispositions and an empty mask, every inherited fd but stdio closed at exec.</summary>
    public static void Exec(string program, string[] argv, string[] envp)
    {
        using var path = new NativeStrings([program]);
        using var args = new NativeStrings(argv);
        using var environment = new NativeStrings(envp);
        Libc.close_range(3, uint.MaxValue, Flags.CLOSE_RANGE_CLOEXEC);
        for (int signal = 1; signal < 65; signal++)
            if (signal != Flags.SIGKILL && signal != 19) Libc.signal(signal, 0);
        var none = new SignalSet();
        Libc.sigprocmask(Flags.SIG_SETMASK, &none, null);
        Libc.execve(path[0], args.Pointer, environment.Pointer);
        int errno = Check.Errno;
        throw new InitException($"exec {program}: {SyscallException.Describe(errno)}", errno == Flags.ENOENT ? CommandResolver.NotFound : 1);
    }
}
