using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace PodShell.Terminal;

/// <summary>
/// Reads keys from a terminal fd (raw read(2), no Console), and can be stopped: a cancelled read or Stop wakes it
/// through an eventfd and it reports end-of-input, so no key typed after the session ended is swallowed by it.
/// </summary>
internal sealed unsafe class TerminalInputStream : Stream
{
    private readonly int _fd;
    private int _wake;

    public TerminalInputStream(int fd)
    {
        _fd = fd;
        _wake = TerminalInterop.eventfd(0, TerminalInterop.EFD_CLOEXEC);
        if (_wake < 0) throw new IOException($"eventfd: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var fds = stackalloc TerminalInterop.PollFd[2];
        while (true)
        {
            int wake = Volatile.Read(ref _wake);
            if (wake < 0) return 0;
            fds[0] = new TerminalInterop.PollFd { Fd = _fd, Events = TerminalInterop.POLLIN };
            fds[1] = new TerminalInterop.PollFd { Fd = wake, Events = TerminalInterop.POLLIN };
            if (TerminalInterop.poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == TerminalInterop.EINTR) continue;
                return 0;
            }
            if (fds[1].Revents != 0) return 0;
            if ((fds[0].Revents & TerminalInterop.POLLIN) == 0) return 0; // hung up
            nint n;
            fixed (byte* start = buffer) n = TerminalInterop.read(_fd, start, buffer.Length);
            if (n < 0 && Marshal.GetLastPInvokeError() is TerminalInterop.EINTR or TerminalInterop.EAGAIN) continue;
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
        TerminalInterop.write(wake, (byte*)&one, sizeof(ulong));
    }

    protected override void Dispose(bool disposing)
    {
        Stop();
        int wake = Interlocked.Exchange(ref _wake, -1);
        if (wake >= 0) TerminalInterop.close(wake);
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
