using System;
using System.Runtime.InteropServices;

namespace PodShell.Linux;

/// <summary>
/// The bpf(2) commands PodShell uses: load a program from raw instructions and attach it to a cgroup. The attribute
/// layouts are the kernel's union bpf_attr (include/uapi/linux/bpf.h), the same on every 64-bit architecture.
/// </summary>
internal static unsafe class Bpf
{
    private const int BPF_PROG_LOAD = 5;
    private const int BPF_PROG_ATTACH = 8;
    /// <summary>Big enough for every command used; the kernel wants the bytes it does not know to be zero.</summary>
    private const int AttrSize = 128;

    [DllImport("libc", SetLastError = true, EntryPoint = "syscall")]
    private static extern int syscall_bpf(nint number, int command, byte* attr, uint size);

    private static nint SyscallNumber => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var other => throw new PlatformNotSupportedException($"bpf(2) is not wired for {other}."),
    };

    /// <summary>BPF_PROG_LOAD: the program's fd; the verifier's log in the exception when it refuses the program.</summary>
    public static int LoadProgram(uint programType, uint expectedAttachType, ReadOnlySpan<ulong> instructions, string license, string name)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        byte[] licenseBytes = System.Text.Encoding.ASCII.GetBytes(license + "\0");
        const int LogSize = 64 * 1024;
        byte[] log = new byte[LogSize];
        fixed (ulong* insns = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* logBuffer = log)
        {
            *(uint*)(attr + 0) = programType;
            *(uint*)(attr + 4) = (uint)instructions.Length;
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            byte[] nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
            for (int i = 0; i < Math.Min(nameBytes.Length, 15); i++) attr[48 + i] = nameBytes[i];
            *(uint*)(attr + 68) = expectedAttachType;
            int fd = syscall_bpf(SyscallNumber, BPF_PROG_LOAD, attr, AttrSize);
            if (fd >= 0) return fd;
            int errno = Marshal.GetLastPInvokeError();
            // Load again with the verifier's log, only to say why.
            *(uint*)(attr + 24) = 1;
            *(uint*)(attr + 28) = LogSize;
            *(ulong*)(attr + 32) = (ulong)logBuffer;
            int again = syscall_bpf(SyscallNumber, BPF_PROG_LOAD, attr, AttrSize);
            if (again >= 0) Libc.close(again);
            int end = Array.IndexOf(log, (byte)0);
            string verifier = System.Text.Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end).Trim();
            throw new System.IO.IOException($"bpf(BPF_PROG_LOAD) failed: {Libc.ErrorText(errno)}{(verifier.Length > 0 ? ": " + verifier : "")}");
        }
    }

    /// <summary>BPF_PROG_ATTACH of a loaded program to the cgroup open as <paramref name="cgroupFd"/>.</summary>
    public static void AttachToCgroup(int cgroupFd, int programFd, uint attachType, uint flags)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroupFd;
        *(uint*)(attr + 4) = (uint)programFd;
        *(uint*)(attr + 8) = attachType;
        *(uint*)(attr + 12) = flags;
        if (syscall_bpf(SyscallNumber, BPF_PROG_ATTACH, attr, AttrSize) != 0)
        {
            throw new System.IO.IOException($"bpf(BPF_PROG_ATTACH) failed: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }
}
