namespace PodShell.Model;

/// <summary>One namespace of one process, as /proc/&lt;pid&gt;/ns/&lt;type&gt; shows it.</summary>
public sealed class ProcessNamespace
{
    public int ProcessId { get; set; }

    /// <summary>The process's comm (/proc/&lt;pid&gt;/comm).</summary>
    public string? Command { get; set; }

    public NamespaceType Type { get; set; }

    /// <summary>The nsfs inode that identifies the namespace on this node.</summary>
    public ulong Inode { get; set; }

    public string Path { get; set; } = string.Empty;

    /// <summary>True when the namespace is the node's own (the same inode as PID 1's).</summary>
    public bool IsNodeNamespace { get; set; }

    /// <summary>pid_for_children or time_for_children, set only where it differs from <see cref="Inode"/>.</summary>
    public ulong? ForChildrenInode { get; set; }

    public NamespaceScope Scope { get; set; }

    public string? PodName { get; set; }

    public string? ContainerName { get; set; }

    public override string ToString() => $"{Type.ToString().ToLowerInvariant()}:[{Inode}]";
}
