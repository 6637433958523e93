namespace PodShell.Network;

/// <summary>Whether a path is a network namespace (an nsfs bind mount, or /proc/PID/ns/net).</summary>
internal static unsafe class NetnsPin
{
    private const long NSFS_MAGIC = 0x6e736673;

    public static bool IsNamespace(string path)
    {
        if (string.IsNullOrEmpty(path)) return false;
        var buffer = stackalloc byte[128];
        return Linux.Libc.statfs(path, buffer) == 0 && *(long*)buffer == NSFS_MAGIC;
    }
}
