using System;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Security;

/// <summary>
/// The node's compiled seccomp programs, so libseccomp generates a profile's BPF once per node and boot instead of at
/// every start and exec (10-15 ms for RuntimeDefault). One file per profile, named by the module after a SHA-256 of
/// the profile, the architecture and the kernel; inside, a header (magic, libseccomp's version, length, checksum) and
/// the program exactly as libseccomp exported it. A file is used only when its folder and itself belong to root and
/// only root may write them, and when the header matches this libseccomp and the program; anything else is compiled
/// afresh and the file replaced (written under a temporary name, then renamed). The cache is an optimisation: a
/// failure to read or write it never fails a start.
/// </summary>
internal static unsafe class SeccompCache
{
    private const ulong Magic = 0x3130_4650_4253_5350; // "PSSBPF01" little-endian
    private const int HeaderSize = 32;
    private const int MaxInstructions = 4096; // BPF_MAXINSNS
    private const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const ushort S_IFMT = 0xf000, S_IFREG = 0x8000, S_IFDIR = 0x4000, GroupOrOtherWrite = 0x12;

    /// <summary>The cached program, or null when there is none to trust.</summary>
    public static byte[]? TryRead(string? file, (uint Major, uint Minor, uint Micro) version)
    {
        if (string.IsNullOrEmpty(file) || !RootOnly(AT_FDCWD, Folder(file), AT_SYMLINK_NOFOLLOW, S_IFDIR)) return null;
        int fd = Libc.open(file, Flags.O_RDONLY | Flags.O_NOFOLLOW | Flags.O_CLOEXEC, 0);
        if (fd < 0) return null;
        try
        {
            StatX stat;
            if (Libc.statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stat) < 0 || !RootOnly(stat, S_IFREG)) return null;
            if (stat.Size < HeaderSize + 8 || stat.Size > HeaderSize + MaxInstructions * 8) return null;
            byte[] data = new byte[stat.Size];
            int length = 0;
            while (length < data.Length)
            {
                nint n;
                fixed (byte* p = data) n = Libc.read(fd, p + length, data.Length - length);
                if (n < 0 && Check.Errno == Flags.EINTR) continue;
                if (n <= 0) return null;
                length += (int)n;
            }
            var header = data.AsSpan(0, HeaderSize);
            var program = data.AsSpan(HeaderSize);
            if (BitConverter.ToUInt64(header) != Magic
                || BitConverter.ToUInt32(header[8..]) != version.Major
                || BitConverter.ToUInt32(header[12..]) != version.Minor
                || BitConverter.ToUInt32(header[16..]) != version.Micro
                || BitConverter.ToInt32(header[20..]) != program.Length
                || program.Length % 8 != 0
                || BitConverter.ToUInt64(header[24..]) != Checksum(program)) return null;
            return program.ToArray();
        }
        finally { Libc.close(fd); }
    }

    /// <summary>Stores the program for the next start; a folder it cannot make or trust leaves the cache alone.</summary>
    public static void TryWrite(string? file, (uint Major, uint Minor, uint Micro) version, byte[] program)
    {
        if (string.IsNullOrEmpty(file) || program.Length == 0) return;
        string folder = Folder(file);
        MakeFolder(Folder(folder));
        MakeFolder(folder);
        if (!RootOnly(AT_FDCWD, folder, AT_SYMLINK_NOFOLLOW, S_IFDIR)) return;
        byte[] data = new byte[HeaderSize + program.Length];
        var header = data.AsSpan(0, HeaderSize);
        BitConverter.TryWriteBytes(header, Magic);
        BitConverter.TryWriteBytes(header[8..], version.Major);
        BitConverter.TryWriteBytes(header[12..], version.Minor);
        BitConverter.TryWriteBytes(header[16..], version.Micro);
        BitConverter.TryWriteBytes(header[20..], program.Length);
        BitConverter.TryWriteBytes(header[24..], Checksum(program));
        program.CopyTo(data, HeaderSize);
        string temporary = $"{folder}/.{Libc.getpid()}-{Environment.TickCount64}.tmp";
        int fd = Libc.open(temporary, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_EXCL | Flags.O_NOFOLLOW | Flags.O_CLOEXEC, 0x180);
        if (fd < 0) return;
        bool written = false;
        try
        {
            Fd.WriteAll(fd, data);
            written = true;
        }
        catch (InitException) { }
        finally { Libc.close(fd); }
        if (!written || Libc.rename(temporary, file) < 0) Libc.unlink(temporary);
    }

    private static void MakeFolder(string folder) => Libc.mkdir(folder, 0x1c0); // EEXIST is fine: RootOnly judges it

    private static string Folder(string file) => file[..Math.Max(file.LastIndexOf('/'), 1)];

    private static bool RootOnly(int directoryFd, string path, int flags, ushort type)
    {
        StatX stat;
        return Libc.statx(directoryFd, path, flags, STATX_BASIC_STATS, &stat) == 0 && RootOnly(stat, type);
    }

    private static bool RootOnly(in StatX stat, ushort type) =>
        (stat.Mode & S_IFMT) == type && stat.Uid == 0 && (stat.Mode & GroupOrOtherWrite) == 0;

    /// <summary>FNV-1a over the program: catches a damaged file (the folder is root's alone, so not meant against forgery).</summary>
    private static ulong Checksum(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in data) hash = (hash ^ b) * 1099511628211;
        return hash;
    }
}
