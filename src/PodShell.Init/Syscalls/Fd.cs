using System;
using System.Text;

namespace PodShell.Init.Syscalls;

/// <summary>File descriptor helpers on raw syscalls (no FileStream, no threads, no Console).</summary>
internal static unsafe class Fd
{
    public static int Open(string path, int flags, int mode = 0) =>
        Check.Ok(Libc.open(path, flags | Flags.O_CLOEXEC, mode), "open", path);

    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Check.Ok(Libc.pipe2(fds, Flags.O_CLOEXEC), "pipe2");
        return (fds[0], fds[1]);
    }

    public static void Close(int fd)
    {
        if (fd >= 0) Libc.close(fd);
    }

    public static void SetCloseOnExec(int fd) => Check.Ok(Libc.fcntl(fd, Flags.F_SETFD, Flags.FD_CLOEXEC), "fcntl(F_SETFD)");

    public static void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = Libc.write(fd, p + done, data.Length - done);
                if (n < 0)
                {
                    if (Check.Errno == Flags.EINTR) continue;
                    throw new SyscallException("write", Check.Errno, null);
                }
                done += (int)n;
            }
        }
    }

    public static void WriteAll(int fd, string text) => WriteAll(fd, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads until EOF (or the buffer limit); used for pipes that carry one message.</summary>
    public static byte[] ReadToEnd(int fd, int limit = 1 << 20)
    {
        var buffer = new byte[4096];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= limit) break;
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            nint n;
            fixed (byte* p = buffer) n = Libc.read(fd, p + length, buffer.Length - length);
            if (n < 0)
            {
                if (Check.Errno == Flags.EINTR) continue;
                throw new SyscallException("read", Check.Errno, null);
            }
            if (n == 0) break;
            length += (int)n;
        }
        return buffer.AsSpan(0, length).ToArray();
    }

    public static string? TryReadText(string path)
    {
        int fd = Libc.open(path, Flags.O_RDONLY | Flags.O_CLOEXEC, 0);
        if (fd < 0) return null;
        try { return Encoding.UTF8.GetString(ReadToEnd(fd)); }
        catch (InitException) { return null; }
        finally { Libc.close(fd); }
    }

    public static void WriteFile(string path, ReadOnlySpan<byte> data, int flags = Flags.O_WRONLY | Flags.O_CREAT | Flags.O_TRUNC, int mode = 0x1a4)
    {
        int fd = Open(path, flags, mode);
        try { WriteAll(fd, data); }
        finally { Libc.close(fd); }
    }

    /// <summary>Writes to an existing file such as cgroup.procs, naming the file when the kernel refuses.</summary>
    public static void WriteExisting(string path, string text)
    {
        int fd = Open(path, Flags.O_WRONLY);
        try { WriteExisting(fd, path, text); }
        finally { Libc.close(fd); }
    }

    public static void WriteExisting(int fd, string path, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = data)
            if (Libc.write(fd, p, data.Length) < 0) throw new SyscallException("write", Check.Errno, path);
    }

    public static string? ReadLink(string path)
    {
        byte* buffer = stackalloc byte[4096];
        nint n = Libc.readlink(path, buffer, 4096);
        return n < 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }
}
