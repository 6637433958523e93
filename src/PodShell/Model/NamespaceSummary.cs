namespace PodShell.Model;

/// <summary>One namespace on the node and the processes in it, like a row of lsns.</summary>
public sealed class NamespaceSummary
{
    public NamespaceType Type { get; set; }

    public ulong Inode { get; set; }

    /// <summary>How many processes (not threads) are in the namespace.</summary>
    public int Processes { get; set; }

    public int LowestProcessId { get; set; }

    /// <summary>The full command line of <see cref="LowestProcessId"/>; its comm for kernel threads.</summary>
    public string? Command { get; set; }

    /// <summary>The uid that created the owning user namespace (for a user namespace: that created it).</summary>
    public uint? OwnerUid { get; set; }

    /// <summary>Inode of the user namespace that owns this one (for a user namespace: its parent); null for the initial one.</summary>
    public ulong? OwnerUserNamespace { get; set; }

    public bool IsNodeNamespace { get; set; }

    public override string ToString() => $"{Type.ToString().ToLowerInvariant()}:[{Inode}]";
}
