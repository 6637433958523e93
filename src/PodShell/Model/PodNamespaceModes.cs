namespace PodShell.Model;

/// <summary>Where each of a pod's shareable namespaces lives (crictl's NamespaceOption).</summary>
public sealed class PodNamespaceModes
{
    public NamespaceMode Network { get; set; } = NamespaceMode.Pod;
    public NamespaceMode Ipc { get; set; } = NamespaceMode.Pod;
    public NamespaceMode Uts { get; set; } = NamespaceMode.Pod;
    /// <summary>Pod when the containers share the pause's pid namespace, Container when each has its own.</summary>
    public NamespaceMode Pid { get; set; } = NamespaceMode.Container;

    public override string ToString() => $"net={Network} ipc={Ipc} uts={Uts} pid={Pid}";
}
