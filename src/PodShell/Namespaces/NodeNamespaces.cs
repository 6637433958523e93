using PodShell.Linux;
using PodShell.Model;

namespace PodShell.Namespaces;

/// <summary>
/// The node's own namespaces: those of PID 1. Where PID 1's links cannot be read (some
/// sandboxed VMs deny it even to root), kthreadd (PID 2, a kernel thread) stands in: kernel
/// threads run in the kernel's initial namespaces, which are the ones PID 1 is started in.
/// </summary>
public sealed class NodeNamespaces
{
    private const int KernelThreadFlag = 0x00200000; // PF_KTHREAD

    private readonly ulong?[] _inodes = new ulong?[NamespaceFiles.TypeCount];
    private readonly int?[] _referencePids = new int?[NamespaceFiles.TypeCount];

    private NodeNamespaces()
    {
    }

    public static NodeNamespaces Read()
    {
        var node = new NodeNamespaces();
        bool? kthreaddUsable = null;
        for (int i = 0; i < NamespaceFiles.TypeCount; i++)
        {
            var type = (NamespaceType)i;
            if (ProcFs.ReadNamespaceLink(1, NamespaceFiles.RelativePath(type), out ulong inode) == 0)
            {
                node._inodes[i] = inode;
                node._referencePids[i] = 1;
                continue;
            }
            kthreaddUsable ??= IsKernelThreadDaemon(2);
            if (kthreaddUsable == true && ProcFs.ReadNamespaceLink(2, NamespaceFiles.RelativePath(type), out inode) == 0)
            {
                node._inodes[i] = inode;
                node._referencePids[i] = 2;
            }
        }
        return node;
    }

    /// <summary>The inode of the node's namespace of this type; null when neither PID 1 nor kthreadd could be read.</summary>
    public ulong? GetInode(NamespaceType type) => _inodes[(int)type];

    /// <summary>1, or 2 when kthreadd stood in for PID 1; null when unknown.</summary>
    public int? GetReferenceProcessId(NamespaceType type) => _referencePids[(int)type];

    public bool IsNodeNamespace(NamespaceType type, ulong inode) => _inodes[(int)type] == inode;

    private static bool IsKernelThreadDaemon(int pid)
    {
        return ProcFs.ReadStat(pid) is { ParentPid: 0 } stat
            && (stat.Flags & KernelThreadFlag) != 0
            && ProcFs.ReadComm(pid) == "kthreadd";
    }
}
