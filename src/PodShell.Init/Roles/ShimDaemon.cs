using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PodShell.Init.Diagnostics;
using PodShell.Init.Logging;
using PodShell.Init.Security;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>
/// `shim-run`: the detached per-container daemon. Started by the foreground `shim` (--report-fd N: the report goes
/// to that pipe), or directly by the module (no --report-fd): then it makes its own session, sends its stderr to
/// shim.log and stdin to /dev/null, writes the report as one JSON line on stdout and points stdout at /dev/null,
/// so the caller reads one line and EOF without waiting for this process to exit. Child subreaper in the pod's net/ipc/uts namespaces; starts the
/// container (the `start` stage), copies its output into container.log, keeps status.json current, restarts it per
/// policy with kubelet's backoff, and stops it on SIGTERM/SIGINT.
/// </summary>
internal sealed unsafe class ShimDaemon
{
    public static readonly int[] Signals = [Flags.SIGTERM, Flags.SIGINT, Flags.SIGCHLD];

    private readonly ContainerSpec _spec;
    private readonly string _config;
    private readonly string _self = ProcFs.SelfExe();
    private readonly int _signals;
    private readonly StatusWriter _status;
    private readonly CriLogWriter _log;
    private readonly int _originalPidNs;
    private readonly int _podPidNs = -1;
    private int _reportFd;
    private bool _stopping;

    private ShimDaemon(string config, ContainerSpec spec, int reportFd)
    {
        _config = config;
        _spec = spec;
        _reportFd = reportFd;
        Trace.Mark("config");
        _signals = SignalSet.BlockIntoSignalFd(Signals);
        Trace.Mark("signals");
        Check.Ok(Libc.prctl(Flags.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");
        Libc.chdir("/");
        _status = new StatusWriter(spec.StateDirectory);
        _status.Current.ShimPid = Libc.getpid();
        _status.Current.ShimStartTime = ProcFs.StartTime(_status.Current.ShimPid);
        _log = new CriLogWriter(spec.StateDirectory + "/container.log", spec.LogMaxSizeBytes, spec.LogMaxFiles);
        Trace.Mark("status-log");
        _originalPidNs = Fd.Open("/proc/self/ns/pid", Flags.O_RDONLY);
        _podPidNs = JoinPod();
        Trace.Mark("joined");
    }

    public static int Run(CommandLine line)
    {
        ShimDaemon daemon;
        bool direct = line.ReportFd < 0;
        int reportFd = direct ? 1 : line.ReportFd;
        try
        {
            string config = line.RequireConfig();
            if (direct) config = System.IO.Path.GetFullPath(config);
            var spec = Output.ReadConfig(config, InitJson.Default.ContainerSpec);
            if (direct) Detach(spec);
            daemon = new ShimDaemon(config, spec, reportFd);
        }
        catch (Exception failure)
        {
            var e = InitException.From(failure);
            ShimLog.Write("shim failed: " + e.Message);
            Report(reportFd, new StartResult { Ok = false, Error = e.Message });
            return 1;
        }
        return daemon.Serve();
    }

    /// <summary>What the foreground shim's spawn did: a new session, stdin /dev/null, stderr appended to shim.log.</summary>
    private static void Detach(ContainerSpec spec)
    {
        if (spec.StateDirectory.Length == 0) throw new InitException("stateDirectory is empty");
        // EPERM: already a process group leader (started by a shell's job control); a session leader needs no new one.
        Libc.setsid();
        int log = Fd.Open(spec.StateDirectory + "/shim.log", Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND, 0x1a4);
        int devNull = Fd.Open("/dev/null", Flags.O_RDWR);
        Check.Ok(Libc.dup2(devNull, 0), "dup2", "/dev/null");
        Check.Ok(Libc.dup2(log, 2), "dup2", spec.StateDirectory + "/shim.log");
        Fd.Close(log);
        Fd.Close(devNull);
    }

    /// <summary>setns into the pause's namespaces; "pid" is kept as an fd and applied around each spawn only.</summary>
    private int JoinPod()
    {
        int pause = _spec.PausePid;
        if (!ProcFs.IsAlive(pause, _spec.PauseStartTime))
            throw new InitException($"the pod's pause process (pid {pause}) is not running");
        var joins = new List<(int Fd, int Type, string Name)>();
        int podPid = -1;
        try
        {
            foreach (SharedNamespace shared in _spec.JoinNamespaces)
            {
                string name = shared.ToString().ToLowerInvariant();
                int type = NamespaceType(name);
                int fd = Fd.Open($"/proc/{pause}/ns/{name}", Flags.O_RDONLY);
                if (type == Flags.CLONE_NEWPID) podPid = fd;
                else joins.Add((fd, type, name));
            }
            // The fds pin the namespaces: if the pause was replaced meanwhile, they may be someone else's.
            if (!ProcFs.IsAlive(pause, _spec.PauseStartTime))
                throw new InitException($"the pod's pause process (pid {pause}) exited while joining it");
            foreach (var (fd, type, name) in joins)
                Check.Ok(Libc.setns(fd, type), $"setns({name})", $"/proc/{pause}/ns/{name}");
        }
        finally
        {
            foreach (var join in joins) Fd.Close(join.Fd);
        }
        return podPid;
    }

    internal static int NamespaceType(string name) => name switch
    {
        "net" => Flags.CLONE_NEWNET,
        "ipc" => Flags.CLONE_NEWIPC,
        "uts" => Flags.CLONE_NEWUTS,
        "pid" => Flags.CLONE_NEWPID,
        "cgroup" => Flags.CLONE_NEWCGROUP,
        _ => throw new InitException($"cannot join namespace '{name}' (net, ipc, uts, pid, cgroup)"),
    };

    private int Serve()
    {
        var backoff = new RestartBackoff(_spec.BackoffBaseMilliseconds, _spec.BackoffMaxMilliseconds, _spec.BackoffResetMilliseconds);
        var status = _status.Current;
        bool first = true;
        string? endedReason = null;
        while (true)
        {
            long? oomBefore = ReadOomKills(out _);
            long startedTicks = Environment.TickCount64;
            var attempt = StartContainer();
            int exitCode;
            string reason;
            string? message = null;
            if (attempt.Error is not null)
            {
                ShimLog.Write("start failed: " + attempt.Error);
                exitCode = attempt.ExitCode;
                reason = "StartError";
                message = attempt.Error;
                if (first)
                {
                    SetExited(exitCode, reason, message);
                    Report(_reportFd, new StartResult { Ok = false, ShimPid = status.ShimPid, ShimStartTime = status.ShimStartTime, Error = attempt.Error, ExitCode = exitCode });
                    return 0;
                }
            }
            else
            {
                if (!first) KeepLastRun(status, endedReason);
                status.State = ContainerRunState.Running;
                status.Pid = attempt.Pid;
                status.PidStartTime = ProcFs.StartTime(attempt.Pid);
                Trace.Mark("pid-start");
                status.StartedAt = DateTimeOffset.UtcNow;
                status.FinishedAt = null;
                status.ExitCode = null;
                status.Reason = null;
                status.Message = null;
                status.NextRestartAt = null;
                _status.Write();
                Trace.Mark("status");
                if (first)
                {
                    Report(_reportFd, new StartResult
                    {
                        Ok = true, ShimPid = status.ShimPid, ShimStartTime = status.ShimStartTime,
                        Pid = attempt.Pid, PidStartTime = status.PidStartTime,
                    });
                    _reportFd = -1;
                    Trace.Mark("reported");
                }
                exitCode = Spawner.ExitCode(WaitForExit(attempt));
                long? oomAfter = ReadOomKills(out bool moved);
                // A pod whose QoS class changed moved to a new cgroup, whose counter started at 0.
                reason = oomAfter > (moved ? 0 : oomBefore) ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
            }
            first = false;
            SetExited(exitCode, reason, message);
            endedReason = reason;

            if (_stopping || !RestartBackoff.ShouldRestart(_spec.RestartPolicy, exitCode)) return 0;
            int delay = backoff.Next(Environment.TickCount64 - startedTicks);
            status.State = ContainerRunState.Waiting;
            status.Reason = "CrashLoopBackOff";
            status.Message = $"back-off {delay}ms restarting failed container {_spec.ContainerName}";
            status.NextRestartAt = DateTimeOffset.UtcNow.AddMilliseconds(delay);
            _status.Write();
            if (!SleepUnlessStopped(delay))
            {
                SetExited(exitCode, reason, message, keepFinishedAt: true);
                return 0;
            }
            status.RestartCount++;
        }
    }

    /// <summary>A restart: the run that ended becomes the last one (Get-PodLog -Previous reads its lines by these times).</summary>
    private static void KeepLastRun(ContainerStatus status, string? reason)
    {
        if (status.StartedAt is null) return;
        status.LastStartedAt = status.StartedAt;
        status.LastFinishedAt = status.FinishedAt;
        status.LastExitCode = status.ExitCode;
        status.LastReason = reason; // status.Reason says CrashLoopBackOff by now
    }

    private void SetExited(int exitCode, string reason, string? message, bool keepFinishedAt = false)
    {
        var status = _status.Current;
        status.State = ContainerRunState.Exited;
        status.Pid = 0;
        status.PidStartTime = 0;
        status.ExitCode = exitCode;
        if (!keepFinishedAt) status.FinishedAt = DateTimeOffset.UtcNow;
        status.Reason = reason;
        status.Message = message;
        status.NextRestartAt = null;
        _status.Write();
    }

    private readonly struct Attempt
    {
        public int Pid { get; init; }
        public int Stdout { get; init; }
        public int Stderr { get; init; }
        public string? Error { get; init; }
        public int ExitCode { get; init; }
    }

    /// <summary>Spawns the `start` stage and waits on the sync pipe: EOF alone means exec succeeded.</summary>
    private Attempt StartContainer()
    {
        var sync = Fd.Pipe();
        var stdout = Fd.Pipe();
        var stderr = Fd.Pipe();
        int sealedCopy = SealedBinary.Copy();
        int pid;
        try
        {
            var options = new SpawnOptions
            {
                Path = sealedCopy >= 0 ? $"/proc/self/fd/{sealedCopy}" : _self,
                Argv = [_self, "start", "--config", _config, "--sync-fd", "3"],
                NewSession = true,
            };
            options.Open.Add((0, "/dev/null", Flags.O_RDONLY));
            options.Dup.Add((1, stdout.Write));
            options.Dup.Add((2, stderr.Write));
            options.Dup.Add((3, sync.Write));
            pid = SpawnInPidNamespace(options);
        }
        catch (Exception e)
        {
            Fd.Close(stdout.Read);
            Fd.Close(stderr.Read);
            Fd.Close(sync.Read);
            return new Attempt { Error = InitException.From(e).Message, ExitCode = 1 };
        }
        finally
        {
            Fd.Close(sealedCopy);
            Fd.Close(sync.Write);
            Fd.Close(stdout.Write);
            Fd.Close(stderr.Write);
        }

        string error = Encoding.UTF8.GetString(Fd.ReadToEnd(sync.Read)).Trim();
        Fd.Close(sync.Read);
        Trace.Mark("synced");
        if (error.Length == 0) return new Attempt { Pid = pid, Stdout = stdout.Read, Stderr = stderr.Read };

        int code = Spawner.ExitCode(Spawner.Wait(pid));
        Fd.Close(stdout.Read);
        Fd.Close(stderr.Read);
        return new Attempt { Error = error, ExitCode = code == 0 ? 1 : code };
    }

    /// <summary>
    /// The child lands in the pod's pid namespace or a new one; this process stays where it is (a thread whose
    /// pid_ns_for_children differs from its own cannot start threads, and a second unshare would fail).
    /// </summary>
    private int SpawnInPidNamespace(SpawnOptions options)
    {
        bool switched = false;
        try
        {
            if (_podPidNs >= 0)
            {
                Check.Ok(Libc.setns(_podPidNs, Flags.CLONE_NEWPID), "setns(pid)", $"/proc/{_spec.PausePid}/ns/pid");
                switched = true;
            }
            if (_spec.NewPidNamespace)
            {
                Check.Ok(Libc.unshare(Flags.CLONE_NEWPID), "unshare(CLONE_NEWPID)");
                switched = true;
            }
            return Spawner.Spawn(options);
        }
        finally
        {
            if (switched) Check.Ok(Libc.setns(_originalPidNs, Flags.CLONE_NEWPID), "setns(pid)", "the shim's own pid namespace");
        }
    }

    /// <summary>Copies output into the log and handles signals until the container's first process has exited.</summary>
    private int WaitForExit(Attempt attempt)
    {
        PollFd* fds = stackalloc PollFd[3];
        fds[0] = new PollFd { Fd = _signals, Events = Flags.POLLIN };
        fds[1] = new PollFd { Fd = attempt.Stdout, Events = Flags.POLLIN };
        fds[2] = new PollFd { Fd = attempt.Stderr, Events = Flags.POLLIN };
        byte[] buffer = new byte[32 * 1024];
        int status = 0;
        bool exited = false;
        if (_stopping) Libc.kill(attempt.Pid, _spec.StopSignal);
        while (!exited || fds[1].Fd >= 0 || fds[2].Fd >= 0)
        {
            // After the exit, take what is buffered but do not wait for orphans that still hold the pipes.
            int timeout = exited ? 0 : -1;
            long backOff = _log.BackOffUntil - Environment.TickCount64;
            if (backOff > 0 && !exited)
            {
                // The log cannot be written (a full disk): signals only, the pipes wait (and so does the container).
                ReportLogFailure();
                fds[1].Revents = fds[2].Revents = 0;
                if (Libc.poll(fds, 1, (int)backOff) <= 0) continue;
            }
            else if (_logFailureReported && _log.LastError == 0) ReportLogFailure();
            int ready = backOff > 0 && !exited ? 1 : Libc.poll(fds, 3, timeout);
            if (ready < 0 && Check.Errno == Flags.EINTR) continue;
            if (ready <= 0 && exited)
            {
                CloseStream(ref fds[1], stderr: false);
                CloseStream(ref fds[2], stderr: true);
                break;
            }
            for (int i = 1; i <= 2; i++)
            {
                if (fds[i].Fd < 0 || fds[i].Revents == 0) continue;
                nint n;
                fixed (byte* p = buffer) n = Libc.read(fds[i].Fd, p, buffer.Length);
                if (n > 0) _log.Append(i == 2, buffer.AsSpan(0, (int)n));
                else if (n == 0 || Check.Errno != Flags.EINTR) CloseStream(ref fds[i], stderr: i == 2);
            }
            if (fds[0].Revents != 0)
            {
                int signal = SignalSet.Read(_signals);
                if (signal == Flags.SIGCHLD)
                {
                    exited |= Reap(attempt.Pid, ref status);
                    if (exited) Trace.Mark("container-exited");
                }
                else if (signal == Flags.SIGTERM || signal == Flags.SIGINT)
                {
                    Trace.Mark("stop-signal");
                    ShimLog.Write($"stop requested: signal {_spec.StopSignal} to pid {attempt.Pid}");
                    _stopping = true;
                    if (!exited) Libc.kill(attempt.Pid, _spec.StopSignal);
                }
            }
        }
        return status;
    }

    private bool _logFailureReported;

    /// <summary>Marks (and clears) a failing log in status.json's message, once per episode.</summary>
    private void ReportLogFailure()
    {
        bool failing = _log.LastError != 0;
        if (failing == _logFailureReported) return;
        _logFailureReported = failing;
        var status = _status.Current;
        status.Message = failing ? $"LogWriteFailed: {SyscallException.Describe(_log.LastError)}; output is dropped while it lasts" : null;
        if (failing) ShimLog.Write("log write failed: " + SyscallException.Describe(_log.LastError));
        _status.Write();
    }

    private void CloseStream(ref PollFd fd, bool stderr)
    {
        if (fd.Fd < 0) return;
        _log.Finish(stderr);
        Libc.close(fd.Fd);
        fd.Fd = -1;
    }

    /// <summary>Reaps every exited child (the subreaper adopts orphans); true when the container's process was one of them.</summary>
    private static bool Reap(int pid, ref int status)
    {
        bool found = false;
        int raw;
        int child;
        while ((child = Libc.waitpid(-1, &raw, Flags.WNOHANG)) > 0)
        {
            if (child == pid)
            {
                status = raw;
                found = true;
            }
        }
        return found;
    }

    /// <summary>The backoff sleep; false when SIGTERM/SIGINT asked to stop.</summary>
    private bool SleepUnlessStopped(int milliseconds)
    {
        long deadline = Environment.TickCount64 + milliseconds;
        var fd = new PollFd { Fd = _signals, Events = Flags.POLLIN };
        int ignored = 0;
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return true;
            if (Libc.poll(&fd, 1, (int)left) <= 0) continue;
            int signal = SignalSet.Read(_signals);
            if (signal == Flags.SIGTERM || signal == Flags.SIGINT)
            {
                _stopping = true;
                return false;
            }
            if (signal == Flags.SIGCHLD) Reap(0, ref ignored);
        }
    }

    /// <summary>The `oom_kill N` counter of memory.oom_control (v1) or memory.events (v2); null when unreadable.</summary>
    private long? ReadOomKills(out bool moved)
    {
        moved = false;
        if (string.IsNullOrEmpty(_spec.OomEventsFile)) return null;
        string? text = Fd.TryReadText(_spec.OomEventsFile);
        if (text is null && OomEventsFileMoved())
        {
            moved = true;
            text = Fd.TryReadText(_spec.OomEventsFile);
        }
        if (text is null) return null;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal) &&
                long.TryParse(line.AsSpan(9), NumberStyles.Integer, CultureInfo.InvariantCulture, out long count))
                return count;
        }
        return null;
    }

    /// <summary>The module rewrites the config when the pod's cgroup moves (its QoS class changed): follow it.</summary>
    private bool OomEventsFileMoved()
    {
        try
        {
            string? fresh = Output.ReadConfig(_config, InitJson.Default.ContainerSpec).OomEventsFile;
            if (string.IsNullOrEmpty(fresh) || fresh == _spec.OomEventsFile) return false;
            _spec.OomEventsFile = fresh;
            return true;
        }
        catch (InitException)
        {
            return false;
        }
    }

    /// <summary>Sends the report and closes the report pipe; stdout (direct start) is pointed at /dev/null instead.</summary>
    private static void Report(int fd, StartResult result)
    {
        if (fd < 0) return;
        try { Output.Json(result, InitJson.Default.StartResult, fd); }
        catch (InitException) { }
        if (fd != 1)
        {
            Fd.Close(fd);
            return;
        }
        int devNull = Libc.open("/dev/null", Flags.O_WRONLY | Flags.O_CLOEXEC, 0);
        if (devNull >= 0)
        {
            Libc.dup2(devNull, 1);
            Libc.close(devNull);
        }
        else Libc.close(1);
    }
}
