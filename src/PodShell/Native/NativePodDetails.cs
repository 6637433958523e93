using PodShell.Model;

namespace PodShell.Native;

/// <summary>Where the native engine keeps a pod on the node.</summary>
public sealed class NativePodDetails : PodEngineDetails
{
    /// <summary>The pod's state folder (under PODSHELL_ROOT).</summary>
    public string StateDirectory { get; init; } = "";
    /// <summary>The bind mount that names the pod's network namespace (for ip netns, nsenter --net=, CNI); null with host networking or a dead sandbox.</summary>
    public string? NetworkNamespacePath { get; init; }

    public override string ToString() => StateDirectory;
}
