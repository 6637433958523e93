using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using PodShell.Engine;
using PodShell.Linux;

namespace PodShell.Terminal;

/// <summary>
/// The caller's own terminal while a container's pty is attached to it: put in raw mode (every key, Ctrl+C and
/// Ctrl+D included, goes to the container as a byte), its window size followed, the container's output written to it
/// as it comes, and its settings restored on Dispose. The terminal itself is never handed to a container process:
/// only bytes cross, through podshell-init's relay.
/// </summary>
internal sealed unsafe class CallerTerminal : IDisposable
{
    private readonly byte[] _saved = new byte[Libc.TermiosSize];
    private readonly Channel<TerminalSize> _sizes = Channel.CreateUnbounded<TerminalSize>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _writeLock = new();
    private PosixSignalRegistration? _resized;
    private bool _raw;

    /// <summary>Whether pwsh's stdin and stdout are a terminal (not a pipe, a file or a redirected host).</summary>
    public static bool IsAvailable => Libc.isatty(Libc.StdinFd) == 1 && Libc.isatty(Libc.StdoutFd) == 1;

    /// <summary>The window size (TIOCGWINSZ), or null when the terminal does not say.</summary>
    public static TerminalSize? Size
    {
        get
        {
            ushort* size = stackalloc ushort[4];
            if (Libc.ioctl(Libc.StdoutFd, Libc.TIOCGWINSZ, size) < 0 &&
                Libc.ioctl(Libc.StdinFd, Libc.TIOCGWINSZ, size) < 0) return null;
            return size[0] == 0 || size[1] == 0 ? null : new TerminalSize(size[1], size[0]);
        }
    }

    public ChannelReader<TerminalSize> SizeChanges => _sizes.Reader;

    /// <summary>Raw mode as cfmakeraw(3) sets it; window changes (SIGWINCH) are followed from here on.</summary>
    public void EnterRawMode()
    {
        byte* raw = stackalloc byte[Libc.TermiosSize];
        fixed (byte* saved = _saved)
        {
            if (Libc.tcgetattr(Libc.StdinFd, saved) < 0) throw new IOException($"tcgetattr: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            Buffer.MemoryCopy(saved, raw, Libc.TermiosSize, Libc.TermiosSize);
        }
        Libc.cfmakeraw(raw);
        if (Libc.tcsetattr(Libc.StdinFd, Libc.TCSANOW, raw) < 0) throw new IOException($"tcsetattr: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        _raw = true;
        _resized = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ =>
        {
            if (Size is { } size) _sizes.Writer.TryWrite(size);
        });
    }

    /// <summary>Bytes to the terminal as they are (escape sequences, partial UTF-8): the container's terminal already cooked them.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_writeLock)
        {
            fixed (byte* start = data)
            {
                int done = 0;
                while (done < data.Length)
                {
                    nint n = Libc.write(Libc.StdoutFd, start + done, data.Length - done);
                    if (n < 0)
                    {
                        if (Marshal.GetLastPInvokeError() is Errno.EINTR or Errno.EAGAIN) continue;
                        return; // the terminal went away: nothing left to show the output on
                    }
                    done += (int)n;
                }
            }
        }
    }

    public TerminalInputStream OpenInput() => new(Libc.StdinFd);

    /// <summary>The settings the terminal had before, once the output written so far has been sent (TCSADRAIN).</summary>
    public void Dispose()
    {
        _resized?.Dispose();
        _resized = null;
        _sizes.Writer.TryComplete();
        if (!_raw) return;
        _raw = false;
        fixed (byte* saved = _saved) Libc.tcsetattr(Libc.StdinFd, Libc.TCSADRAIN, saved);
    }
}
