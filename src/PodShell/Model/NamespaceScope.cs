namespace PodShell.Model;

/// <summary>Who a namespace belongs to: the node, one process, a pod sandbox, or one container.</summary>
public enum NamespaceScope
{
    Node,
    Process,
    Pod,
    Container,
}
