using System;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Terminal;

/// <summary>
/// Relays between the caller's pipes and the container-side pty of an exec'd process: input frames from stdin
/// (<see cref="ExecFrames"/>) to the master, the master's output to stdout, window sizes to TIOCSWINSZ. Single
/// threaded (poll), non-blocking towards the pty so that a command that does not read its input can still write.
/// Ends when the process exits (after draining what it wrote); the end of stdin hangs the terminal up.
/// </summary>
internal sealed unsafe class TtyRelay
{
    private const int ControlFd = 0, OutputFd = 1;
    private const int HangupGraceMilliseconds = 5000;

    private readonly Pty _pty;
    private readonly int _child;
    private readonly int _signals;
    private readonly byte[] _control = new byte[ExecFrames.HeaderLength + ExecFrames.MaxPayload];
    private int _controlLength;
    private readonly byte[] _pending = new byte[ExecFrames.MaxPayload];
    private int _pendingStart, _pendingLength;
    private readonly byte[] _output = new byte[64 * 1024];
    private bool _controlOpen = true;
    private bool _masterOpen = true;
    private bool _callerGone;
    private long _killAt = long.MaxValue;
    private int? _status;

    public TtyRelay(Pty pty, int child, int signals)
    {
        _pty = pty;
        _child = child;
        _signals = signals;
    }

    /// <summary>Runs until the process exits; returns its raw wait status.</summary>
    public int Run()
    {
        PollFd* fds = stackalloc PollFd[3];
        while (_status is null)
        {
            int count = 0, control = -1, master = -1;
            fds[count++] = new PollFd { Fd = _signals, Events = Flags.POLLIN };
            if (_controlOpen && _pendingLength == 0)
            {
                control = count;
                fds[count++] = new PollFd { Fd = ControlFd, Events = Flags.POLLIN };
            }
            if (_masterOpen)
            {
                master = count;
                fds[count++] = new PollFd { Fd = _pty.Master, Events = (short)(Flags.POLLIN | (_pendingLength > 0 ? Flags.POLLOUT : 0)) };
            }
            int timeout = _killAt == long.MaxValue ? -1 : (int)Math.Max(0, _killAt - Environment.TickCount64);
            int ready = Libc.poll(fds, (nuint)count, timeout);
            if (ready < 0)
            {
                if (Check.Errno == Flags.EINTR) continue;
                throw new SyscallException("poll", Check.Errno, null);
            }
            if (ready == 0 && Environment.TickCount64 >= _killAt)
            {
                // Hung up and still running after the grace period: nobody can reach it any more.
                Signal(Flags.SIGKILL);
                _killAt = long.MaxValue;
                continue;
            }
            if (fds[0].Revents != 0) OnSignal(SignalSet.Read(_signals));
            if (master >= 0 && fds[master].Revents != 0) OnMaster(fds[master].Revents);
            if (control >= 0 && fds[control].Revents != 0) OnControl();
        }
        Drain();
        return _status.Value;
    }

    private void OnSignal(int signal)
    {
        if (signal == Flags.SIGCHLD)
        {
            int status;
            if (Libc.waitpid(_child, &status, Flags.WNOHANG) == _child) _status = status;
        }
        else if (signal == Flags.SIGHUP) Hangup();
        else if (signal > 0) Signal(signal);
    }

    private void OnMaster(short events)
    {
        if ((events & Flags.POLLOUT) != 0) FlushPending();
        if ((events & (Flags.POLLIN | Flags.POLLHUP | Flags.POLLERR)) != 0) ReadMaster();
    }

    private void ReadMaster()
    {
        nint n;
        fixed (byte* buffer = _output) n = Libc.read(_pty.Master, buffer, _output.Length);
        if (n > 0) Emit(_output.AsSpan(0, (int)n));
        else if (n == 0 || (Check.Errno != Flags.EAGAIN && Check.Errno != Flags.EINTR)) _masterOpen = false; // EIO: no slave left open
    }

    /// <summary>What the process wrote before it exited (a background job may still hold the terminal: stop at EAGAIN).</summary>
    private void Drain()
    {
        while (_masterOpen)
        {
            nint n;
            fixed (byte* buffer = _output) n = Libc.read(_pty.Master, buffer, _output.Length);
            if (n <= 0) break;
            Emit(_output.AsSpan(0, (int)n));
        }
    }

    private void Emit(ReadOnlySpan<byte> data)
    {
        if (_callerGone) return;
        try { Fd.WriteAll(OutputFd, data); }
        catch (SyscallException)
        {
            // EPIPE: the caller went away; what the terminal shows has no reader any more.
            _callerGone = true;
            Hangup();
        }
    }

    private void OnControl()
    {
        if (_controlLength == _control.Length) throw new InitException("exec control channel: frame too long");
        nint n;
        fixed (byte* buffer = _control) n = Libc.read(ControlFd, buffer + _controlLength, _control.Length - _controlLength);
        if (n < 0)
        {
            if (Check.Errno == Flags.EINTR || Check.Errno == Flags.EAGAIN) return;
            n = 0;
        }
        if (n == 0)
        {
            _controlOpen = false;
            Hangup();
            return;
        }
        _controlLength += (int)n;
        int offset = 0;
        while (ExecFrames.TryRead(_control.AsSpan(offset, _controlLength - offset), out byte type, out var payload, out int consumed))
        {
            if (type == ExecFrames.Input) Queue(payload);
            else if (type == ExecFrames.Resize)
            {
                var (columns, rows) = ExecFrames.ReadSize(payload);
                _pty.Resize(columns, rows);
            }
            offset += consumed;
        }
        _control.AsSpan(offset, _controlLength - offset).CopyTo(_control);
        _controlLength -= offset;
    }

    /// <summary>Input waits here while the pty's input queue is full; stdin is not read meanwhile (back-pressure).</summary>
    private void Queue(ReadOnlySpan<byte> input)
    {
        if (!_masterOpen) return;
        if (_pendingLength == 0) _pendingStart = 0;
        if (_pendingStart + _pendingLength + input.Length > _pending.Length)
        {
            _pending.AsSpan(_pendingStart, _pendingLength).CopyTo(_pending);
            _pendingStart = 0;
        }
        int room = _pending.Length - _pendingLength;
        input[..Math.Min(room, input.Length)].CopyTo(_pending.AsSpan(_pendingStart + _pendingLength));
        _pendingLength += Math.Min(room, input.Length);
        FlushPending();
    }

    private void FlushPending()
    {
        while (_pendingLength > 0 && _masterOpen)
        {
            nint n;
            fixed (byte* buffer = _pending) n = Libc.write(_pty.Master, buffer + _pendingStart, _pendingLength);
            if (n < 0)
            {
                if (Check.Errno == Flags.EINTR) continue;
                if (Check.Errno != Flags.EAGAIN) _pendingLength = 0;
                return;
            }
            _pendingStart += (int)n;
            _pendingLength -= (int)n;
        }
    }

    /// <summary>
    /// Closes the master, as closing a terminal window does: the kernel hangs the pty up and the session gets SIGHUP.
    /// What ignores it is killed after a grace period.
    /// </summary>
    private void Hangup()
    {
        if (_masterOpen)
        {
            _masterOpen = false;
            Libc.close(_pty.Master);
        }
        _pendingLength = 0;
        Signal(Flags.SIGHUP);
        Signal(Flags.SIGCONT);
        if (_killAt == long.MaxValue) _killAt = Environment.TickCount64 + HangupGraceMilliseconds;
    }

    /// <summary>To the process group the exec'd process leads (it is a session leader).</summary>
    private void Signal(int signal)
    {
        if (_status is not null) return;
        if (Libc.kill(-_child, signal) < 0) Libc.kill(_child, signal);
    }
}
