using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// Where a pod's cgroups sit, as kubelet's cgroup manager lays them out: the pod cgroup under its QoS class's
/// folder, one leaf for the sandbox (pause) and one per container.
/// </summary>
public static class PodCgroupLayout
{
    /// <summary>The sandbox's leaf; no container may take its name.</summary>
    public const string PauseLeaf = "pause";

    /// <summary>Where kubelet puts a pod of that class under the root: root/pod&lt;uid&gt;, root/burstable/..., root/besteffort/...</summary>
    public static string PodPath(string root, QosClass qos, string uid) => qos switch
    {
        QosClass.Guaranteed => $"{root}/pod{uid}",
        QosClass.Burstable => $"{root}/burstable/pod{uid}",
        _ => $"{root}/besteffort/pod{uid}",
    };

    public static string PausePath(string podPath) => podPath + "/" + PauseLeaf;

    public static string ContainerPath(string podPath, string container) => podPath + "/" + container;
}
