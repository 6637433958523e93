using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Security;

/// <summary>
/// Becomes the container's user with its capabilities, in runc's order: drop the bounding set while still fully
/// privileged, keep caps across setuid, set groups/gid/uid, then capset and clear ambient; no_new_privs last.
/// </summary>
internal static unsafe class Credentials
{
    public static void Apply(ContainerSpec spec, ResolvedUser user, int lastCap)
    {
        ulong keep = Capabilities.Parse(spec.Capabilities) & Capabilities.Permitted();
        Capabilities.DropBounding(keep, lastCap);
        Check.Ok(Libc.prctl(Flags.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        fixed (uint* groups = user.SupplementaryGroups)
            Check.Ok(Libc.setgroups(user.SupplementaryGroups.Length, groups), "setgroups");
        Check.Ok(Libc.setresgid(user.Gid, user.Gid, user.Gid), "setresgid", user.Gid.ToString());
        Check.Ok(Libc.setresuid(user.Uid, user.Uid, user.Uid), "setresuid", user.Uid.ToString());
        Check.Ok(Libc.prctl(Flags.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        // Inheritable stays empty, as containerd sets it since CVE-2022-24769. For a non-root user the kernel clears
        // permitted and effective at execve anyway (no file capabilities, no ambient), exactly as under runc.
        Capabilities.Set(keep, keep, 0);
        Check.Ok(Libc.prctl(Flags.PR_CAP_AMBIENT, Flags.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
        if (spec.NoNewPrivileges)
            Check.Ok(Libc.prctl(Flags.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
    }
}
