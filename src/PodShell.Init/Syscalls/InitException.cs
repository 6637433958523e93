using System;
using System.Runtime.InteropServices;

namespace PodShell.Init.Syscalls;

/// <summary>A failure reported to the caller as text (result JSON, sync pipe or stderr), never as a stack trace.</summary>
internal class InitException : Exception
{
    public InitException(string message, int exitCode = 1) : base(message) => ExitCode = exitCode;

    /// <summary>What the start stage exits with: 127 for "command not found", 1 otherwise.</summary>
    public int ExitCode { get; }

    /// <summary>
    /// Any failure as an InitException, so a role reports it as text instead of crashing with an unhandled .NET
    /// exception (a file where a folder was expected, a path the kernel refuses, a config of the wrong shape).
    /// </summary>
    public static InitException From(Exception e) => e as InitException ?? new InitException(e switch
    {
        System.IO.IOException or UnauthorizedAccessException or FormatException or ArgumentException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    });
}

internal sealed class SyscallException : InitException
{
    public SyscallException(string call, int errno, string? target)
        : base(target is null ? $"{call}: {Describe(errno)}" : $"{call} {target}: {Describe(errno)}") => Errno = errno;

    public int Errno { get; }

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}

internal static class Check
{
    /// <summary>Throws with the call, its target and errno text when a libc call returned a negative value.</summary>
    public static int Ok(int result, string call, string? target = null)
    {
        if (result < 0) throw new SyscallException(call, Marshal.GetLastPInvokeError(), target);
        return result;
    }

    public static nint Ok(nint result, string call, string? target = null)
    {
        if (result < 0) throw new SyscallException(call, Marshal.GetLastPInvokeError(), target);
        return result;
    }

    public static int Errno => Marshal.GetLastPInvokeError();
}
