using System;
using System.Collections.Generic;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Security;

/// <summary>Capability names and sets (64-bit masks, capability v3 ABI).</summary>
internal static unsafe class Capabilities
{
    private static string[] Names => CapabilityNames.ByBit;

    public static ulong Parse(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (string raw in names)
        {
            int bit = CapabilityNames.Bit(raw);
            if (bit < 0) throw new InitException($"unknown capability '{raw}'");
            mask |= 1UL << bit;
        }
        return mask;
    }

    /// <summary>The highest capability the running kernel knows (read before pivot_root).</summary>
    public static int LastCap()
    {
        string? text = Fd.TryReadText("/proc/sys/kernel/cap_last_cap");
        return int.TryParse(text?.Trim(), out int last) ? last : Names.Length - 1;
    }

    public static void DropBounding(ulong keep, int lastCap)
    {
        for (int cap = 0; cap <= lastCap; cap++)
        {
            if ((keep & (1UL << cap)) != 0) continue;
            if (Libc.prctl(Flags.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0) < 0 && Check.Errno != Flags.EINVAL)
                throw new SyscallException("prctl(PR_CAPBSET_DROP)", Check.Errno, cap < Names.Length ? "CAP_" + Names[cap] : cap.ToString());
        }
    }

    /// <summary>The permitted set of this process: a container cannot keep more (privileged asks for all, the node may hold fewer).</summary>
    public static ulong Permitted()
    {
        uint* header = stackalloc uint[2];
        header[0] = 0x20080522;
        header[1] = 0;
        uint* data = stackalloc uint[6];
        Check.Ok(Libc.capget(header, data), "capget");
        return data[1] | ((ulong)data[4] << 32);
    }

    public static void Set(ulong effective, ulong permitted, ulong inheritable)
    {
        uint* header = stackalloc uint[2];
        header[0] = 0x20080522; // _LINUX_CAPABILITY_VERSION_3
        header[1] = 0;
        uint* data = stackalloc uint[6];
        data[0] = (uint)effective;
        data[1] = (uint)permitted;
        data[2] = (uint)inheritable;
        data[3] = (uint)(effective >> 32);
        data[4] = (uint)(permitted >> 32);
        data[5] = (uint)(inheritable >> 32);
        Check.Ok(Libc.capset(header, data), "capset");
    }
}
