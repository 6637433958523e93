using System;
using System.Text;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Logging;

/// <summary>Shim diagnostics: stderr of the shim daemon is shim.log (opened for append by the foreground shim).</summary>
internal static class ShimLog
{
    public static void Write(string message)
    {
        Span<byte> stamp = stackalloc byte[Timestamp.Length];
        Timestamp.WriteNow(stamp);
        try { Fd.WriteAll(2, Encoding.ASCII.GetString(stamp) + " " + message + "\n"); }
        catch (InitException) { }
    }
}
