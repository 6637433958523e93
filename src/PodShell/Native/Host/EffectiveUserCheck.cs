using PodShell.Linux;

namespace PodShell.Native.Host;

/// <summary>Root is effective uid 0, as the kernel checks it for the native engine's syscalls.</summary>
internal sealed class EffectiveUserCheck : IPrivilegeCheck
{
    public static EffectiveUserCheck Instance { get; } = new();

    public bool IsRoot => Libc.geteuid() == 0;
}
