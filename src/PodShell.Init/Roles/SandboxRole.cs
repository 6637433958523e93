using System;
using System.Text;
using PodShell.Init.Diagnostics;
using PodShell.Init.Network;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>`sandbox --config FILE`: the pod's namespaces, its /dev/shm, the pause process and the net namespace pin.</summary>
internal static unsafe class SandboxRole
{
    public static int Run(CommandLine line)
    {
        var rollback = new Rollback();
        // A caller killed mid-create takes this stage with it: nothing is made after the caller is gone (what was
        // made already is in the pod's cgroup and folder, where Remove-Pod -Force finds it). A caller that died before
        // the prctl left us with another parent already.
        Libc.prctl(Flags.PR_SET_PDEATHSIG, Flags.SIGKILL, 0, 0, 0);
        if (line.Parent > 0 && Libc.getppid() != line.Parent) return 1;
        try
        {
            var spec = Output.ReadConfig(line.RequireConfig(), InitJson.Default.SandboxSpec);
            Trace.Mark("config");
            var result = Create(spec, rollback);
            Trace.Mark("created");
            Output.Json(result, InitJson.Default.SandboxResult);
            Trace.Mark("answered");
            return 0;
        }
        catch (Exception failure)
        {
            var e = InitException.From(failure);
            rollback.Run();
            Output.Json(new SandboxResult { Ok = false, Error = e.Message }, InitJson.Default.SandboxResult);
            return 1;
        }
    }

    private static SandboxResult Create(SandboxSpec spec, Rollback rollback)
    {
        foreach (string procs in spec.CgroupProcs) CgroupJoin.Self(procs);
        if (spec.OomScoreAdj is int score) OomScoreAdjust.Self(score);

        Trace.Mark("cgroup");
        if (!spec.HostIpc) MountShm(spec, rollback);
        Trace.Mark("shm");

        string self = ProcFs.SelfExe();
        int flags = 0;
        if (!spec.HostNetwork) flags |= Flags.CLONE_NEWNET | Flags.CLONE_NEWUTS;
        if (!spec.HostIpc) flags |= Flags.CLONE_NEWIPC;
        if (!spec.HostPid) flags |= Flags.CLONE_NEWPID;

        int originalPidNs = Fd.Open("/proc/self/ns/pid", Flags.O_RDONLY);
        var ready = Fd.Pipe();
        int pause;
        try
        {
            if (flags != 0) Check.Ok(Libc.unshare(flags), "unshare");
            Trace.Mark("unshare");
            // From here until setns back, this thread must not start threads (EINVAL after CLONE_NEWPID).
            try
            {
                if ((flags & Flags.CLONE_NEWUTS) != 0 && spec.Hostname.Length > 0) SetHostname(spec.Hostname);
                if ((flags & Flags.CLONE_NEWNET) != 0) Loopback.Up();
                Trace.Mark("lo");
                // Before the pause exists, so no container ever sees the node's values (the module checked they are namespaced).
                Sysctl.WriteAll(spec.Sysctls, (flags & Flags.CLONE_NEWNET) != 0, (flags & Flags.CLONE_NEWIPC) != 0);
                var options = new SpawnOptions
                {
                    Path = self,
                    Argv = [self, "pause", "--ready-fd", "3"],
                    NewSession = true,
                    Blocked = PauseRole.Signals,
                };
                options.Open.Add((0, "/dev/null", Flags.O_RDONLY));
                options.Open.Add((1, "/dev/null", Flags.O_WRONLY));
                options.Open.Add((2, "/dev/null", Flags.O_WRONLY));
                options.Dup.Add((3, ready.Write));
                pause = Spawner.Spawn(options);
            }
            finally
            {
                if ((flags & Flags.CLONE_NEWPID) != 0) Check.Ok(Libc.setns(originalPidNs, Flags.CLONE_NEWPID), "setns(pid)", "/proc/self/ns/pid");
            }
        }
        finally
        {
            Fd.Close(originalPidNs);
            Fd.Close(ready.Write);
        }
        bool reaped = false;
        rollback.Add(() =>
        {
            if (reaped) return;
            Libc.kill(pause, Flags.SIGKILL);
            Spawner.Wait(pause);
        });

        string answer = Encoding.UTF8.GetString(Fd.ReadToEnd(ready.Read));
        Fd.Close(ready.Read);
        Trace.Mark("pause-ready");
        if (answer != PauseRole.ReadyMark)
        {
            int code = Spawner.ExitCode(Spawner.Wait(pause));
            reaped = true;
            throw new InitException(answer.Length > 0 ? $"pause: {answer}" : $"pause exited with code {code} before it was ready");
        }

        if (!spec.HostNetwork)
        {
            if (spec.NetnsPinPath.Length == 0) throw new InitException("netnsPinPath is empty");
            string source = $"/proc/{pause}/ns/net";
            Check.Ok(Libc.mount(source, spec.NetnsPinPath, null, Flags.MS_BIND, null), "mount(bind) " + source + " on", spec.NetnsPinPath);
            rollback.Add(() => Libc.umount2(spec.NetnsPinPath, Flags.MNT_DETACH));
        }

        Trace.Mark("pinned");
        ulong started = ProcFs.StartTime(pause);
        if (started == 0) throw new InitException($"pause (pid {pause}) died right after start");
        return new SandboxResult { Ok = true, PausePid = pause, PauseStartTime = started };
    }

    private static void MountShm(SandboxSpec spec, Rollback rollback)
    {
        if (spec.ShmPath.Length == 0) throw new InitException("shmPath is empty (needed unless hostIpc)");
        System.IO.Directory.CreateDirectory(spec.ShmPath);
        string data = $"mode=1777,size={spec.ShmSizeBytes}";
        Check.Ok(Libc.mount("shm", spec.ShmPath, "tmpfs", Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC, data),
            "mount(tmpfs)", spec.ShmPath);
        rollback.Add(() => Libc.umount2(spec.ShmPath, Flags.MNT_DETACH));
    }

    private static void SetHostname(string hostname)
    {
        byte[] name = Encoding.UTF8.GetBytes(hostname);
        fixed (byte* p = name) Check.Ok(Libc.sethostname(p, name.Length), "sethostname", hostname);
    }
}
