using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PodShell.IO;
using PodShell.Linux;

namespace PodShell.Terminal;

/// <summary>
/// Reads keys from a terminal fd (raw read(2), no Console), and can be stopped: a cancelled read or Stop wakes it
/// through an eventfd and it reports end-of-input, so no key typed after the session ended is swallowed by it.
/// </summary>
internal sealed unsafe class TerminalInputStream : ForwardOnlyStream
{
    private readonly int _fd;
    private int _wake;

    public TerminalInputStream(int fd)
    {
        _fd = fd;
        _wake = Libc.eventfd(0, Libc.EFD_CLOEXEC);
        if (_wake < 0) throw new IOException($"eventfd: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var fds = stackalloc Libc.PollFd[2];
        while (true)
        {
            int wake = Volatile.Read(ref _wake);
            if (wake < 0) return 0;
            fds[0] = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = wake, Events = Libc.POLLIN };
            if (Libc.poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.EINTR) continue;
                return 0;
            }
            if (fds[1].Revents != 0) return 0;
            if ((fds[0].Revents & Libc.POLLIN) == 0) return 0; // hung up
            nint n;
            fixed (byte* start = buffer) n = Libc.read(_fd, start, buffer.Length);
            if (n < 0 && Marshal.GetLastPInvokeError() is Errno.EINTR or Errno.EAGAIN) continue;
            return n < 0 ? 0 : (int)n;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Factory.StartNew(() =>
        {
            using var registration = cancellationToken.Register(Stop);
            int n = Read(buffer.Span);
            cancellationToken.ThrowIfCancellationRequested();
            return n;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Ends every read in progress and to come.</summary>
    public void Stop()
    {
        int wake = Volatile.Read(ref _wake);
        if (wake < 0) return;
        ulong one = 1;
        Libc.write(wake, (byte*)&one, sizeof(ulong));
    }

    protected override void Dispose(bool disposing)
    {
        Stop();
        int wake = Interlocked.Exchange(ref _wake, -1);
        if (wake >= 0) Libc.close(wake);
        base.Dispose(disposing);
    }
}
