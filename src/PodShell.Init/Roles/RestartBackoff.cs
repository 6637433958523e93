using System;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>kubelet's crash-loop backoff: base, doubled per consecutive restart up to max; a long enough run resets it.</summary>
internal sealed class RestartBackoff(int baseMilliseconds, int maxMilliseconds, int resetMilliseconds)
{
    private int _consecutive;

    public int Next(long lastRunMilliseconds)
    {
        if (lastRunMilliseconds >= resetMilliseconds) _consecutive = 0;
        long delay = Math.Max(0, baseMilliseconds);
        for (int i = 0; i < _consecutive && delay < maxMilliseconds; i++) delay *= 2;
        _consecutive++;
        return (int)Math.Min(delay, Math.Max(0, maxMilliseconds));
    }

    public static bool ShouldRestart(ShimRestartPolicy policy, int exitCode) => policy switch
    {
        ShimRestartPolicy.Never => false,
        ShimRestartPolicy.OnFailure => exitCode != 0,
        _ => true,
    };
}
