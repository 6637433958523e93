using System.Collections.Generic;
using System.IO;

namespace PodShell.Cgroups;

/// <summary>
/// The v1 devices controller: runc's default policy for a container (deny everything, then allow the standard
/// nodes and mknod of any node), so a device node made inside the container cannot be opened.
/// On v2 the same list becomes an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE (<see cref="DeviceFilterProgram"/>).
/// </summary>
public static class DevicesController
{
    public const string Name = "devices";

    /// <summary>runc's allowed devices: mknod of any node; null, zero, full, random, urandom, tty, console, ptmx, pts.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowed = new[]
    {
        "c *:* m", "b *:* m",
        "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
        "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
    };

    /// <summary>devices.deny "a" then each allowed entry; with <paramref name="allowAll"/> (privileged) "a *:* rwm" is left as inherited.</summary>
    public static void SetDefaultPolicy(string directory, bool allowAll)
    {
        if (allowAll)
        {
            CgroupIO.Write(Path.Combine(directory, "devices.allow"), "a");
            return;
        }
        CgroupIO.Write(Path.Combine(directory, "devices.deny"), "a");
        foreach (string rule in DefaultAllowed) CgroupIO.Write(Path.Combine(directory, "devices.allow"), rule);
    }
}
