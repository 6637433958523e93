using System.Runtime.InteropServices;

namespace PodShell.Init.Syscalls;

/// <summary>The libc entry points podshell-init uses, bound at link time (DirectPInvoke).</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int dup2(int fd, int newFd);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setsid();

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close_range(uint first, uint last, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setns(int fd, int nstype);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint syscall2(nint number, string arg1, string arg2);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint syscall3(nint number, nint arg1, nint arg2, nint arg3);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int memfd_create(string name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint sendfile(int outFd, int inFd, long* offset, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int getrlimit(int resource, ulong* limit);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int sethostname(byte* name, nint length);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int gethostname(byte* name, nint length);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int capset(void* header, void* data);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int capget(void* header, void* data);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setgroups(nint size, uint* list);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setresgid(uint rgid, uint egid, uint sgid);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int setresuid(uint ruid, uint euid, uint suid);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    internal static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    internal static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Lib)]
    internal static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, string path, int flags, int mode);

    [LibraryImport(Lib)]
    internal static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Lib)]
    internal static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Lib)]
    internal static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Lib)]
    internal static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Lib)]
    internal static partial int posix_spawnattr_setsigmask(void* attributes, void* mask);

    [LibraryImport(Lib)]
    internal static partial int posix_spawnattr_setsigdefault(void* attributes, void* mask);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int sigprocmask(int how, void* set, void* oldSet);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int signalfd(int fd, void* mask, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint signal(int signum, nint handler);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int kill(int pid, int signal);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mknod(string path, uint mode, ulong device);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chmod(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int symlink(string target, string linkPath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint readlink(string path, byte* buffer, nint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlink(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chdir(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int access(string path, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rename(string from, string to);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statvfs(string path, byte* buffer);

    /// <summary>statx(2): one struct layout on every architecture (struct stat differs between x86_64 and arm64).</summary>
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int directoryFd, string path, int flags, uint mask, StatX* buffer);

    [LibraryImport(Lib)]
    internal static partial uint umask(uint mask);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Lib)]
    internal static partial int getpid();

    [LibraryImport(Lib)]
    internal static partial int getppid();

    [LibraryImport(Lib)]
    internal static partial int clock_gettime(int clock, TimeSpec* time);

    [LibraryImport(Lib)]
    internal static partial void _exit(int status);
}

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

/// <summary>The head of struct statx (the kernel's is 256 bytes; the rest is padding here).</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal struct StatX
{
    public uint Mask;
    public uint BlockSize;
    public ulong Attributes;
    public uint Links;
    public uint Uid;
    public uint Gid;
    public ushort Mode;
    private readonly ushort _spare;
    public ulong Inode;
    public ulong Size;
}

[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
