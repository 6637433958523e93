using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using PodShell.Linux;
using PodShell.Model;

namespace PodShell.Namespaces;

/// <summary>Reads namespaces from /proc/&lt;pid&gt;/ns: of one process, or of every process on the node.</summary>
public static class NamespaceReader
{
    private static readonly Lazy<bool[]> SupportedTypes = new(ReadSupportedTypes);

    /// <summary>True when this kernel has the namespace type (time appeared in 5.6, cgroup in 4.6).</summary>
    public static bool IsSupported(NamespaceType type) => SupportedTypes.Value[(int)type];

    /// <summary>
    /// The namespaces of one process, in <see cref="NamespaceType"/> order. Types the kernel
    /// lacks are left out.
    /// </summary>
    /// <exception cref="ProcessNotFoundException">No such process, or it has exited.</exception>
    /// <exception cref="NamespaceAccessDeniedException">The caller may not read its namespace links.</exception>
    public static List<ProcessNamespace> ReadProcess(int pid, IEnumerable<NamespaceType>? types = null, NodeNamespaces? node = null)
    {
        NamespaceType[] wanted = Normalize(types);
        node ??= NodeNamespaces.Read();
        var result = new List<ProcessNamespace>(wanted.Length);
        if (pid <= 0)
        {
            throw NotFound(pid);
        }
        Span<byte> path = stackalloc byte[ProcFs.PathCapacity];
        Span<byte> link = stackalloc byte[ProcFs.LinkCapacity];
        int prefix = ProcFs.WriteProcessDirectory(path, pid);
        string? comm = null;
        bool missingLink = false;
        foreach (NamespaceType type in wanted)
        {
            NamespaceFiles.RelativePath(type).CopyTo(path[prefix..]);
            int error = ProcFs.ReadNamespaceLink(path, link, out ulong inode);
            if (error is Errno.EACCES or Errno.EPERM)
            {
                throw new NamespaceAccessDeniedException(pid, type, AccessDeniedMessage(pid, type));
            }
            if (error is Errno.ENOENT or Errno.ESRCH)
            {
                missingLink = true;
                continue;
            }
            if (error != 0)
            {
                throw new System.IO.IOException($"Cannot read /proc/{pid}/ns/{NamespaceFiles.Name(type)} (errno {error}).");
            }
            comm ??= ProcFs.ReadComm(pid);
            bool isNode = node.IsNodeNamespace(type, inode);
            result.Add(new ProcessNamespace
            {
                ProcessId = pid,
                Command = comm,
                Type = type,
                Inode = inode,
                Path = $"/proc/{pid}/ns/{NamespaceFiles.Name(type)}",
                IsNodeNamespace = isNode,
                ForChildrenInode = ReadForChildren(path, prefix, link, type, inode),
                Scope = isNode ? NamespaceScope.Node : NamespaceScope.Process,
            });
        }
        if (missingLink && result.Count == 0)
        {
            throw NotFound(pid);
        }
        return result;
    }

    /// <summary>Every namespace that has a process in it, sorted by inode, like lsns.</summary>
    public static List<NamespaceSummary> ReadAll(IEnumerable<NamespaceType>? types = null) => ReadAll(types, out _);

    /// <summary>
    /// Every namespace that has a process in it, sorted by inode. <paramref name="inaccessibleProcesses"/>
    /// counts processes whose links the caller may not read (they are left out, as lsns does).
    /// </summary>
    public static List<NamespaceSummary> ReadAll(IEnumerable<NamespaceType>? types, out int inaccessibleProcesses)
    {
        NamespaceType[] wanted = Normalize(types);
        NodeNamespaces node = NodeNamespaces.Read();
        List<int> pids = ProcFs.ListProcessIds();
        var found = new Dictionary<NamespaceKey, Occupancy>(64);
        inaccessibleProcesses = 0;

        Span<byte> path = stackalloc byte[ProcFs.PathCapacity];
        Span<byte> link = stackalloc byte[ProcFs.LinkCapacity];
        foreach (int pid in pids)
        {
            int prefix = ProcFs.WriteProcessDirectory(path, pid);
            foreach (NamespaceType type in wanted)
            {
                NamespaceFiles.RelativePath(type).CopyTo(path[prefix..]);
                int error = ProcFs.ReadNamespaceLink(path, link, out ulong inode);
                if (error is Errno.EACCES or Errno.EPERM)
                {
                    inaccessibleProcesses++;
                    break;
                }
                if (error != 0)
                {
                    // Exited since the listing, or a zombie: it holds no namespaces.
                    continue;
                }
                ref Occupancy entry = ref CollectionsMarshal.GetValueRefOrAddDefault(found, new NamespaceKey(type, inode), out bool exists);
                if (!exists || pid < entry.LowestProcessId)
                {
                    entry.LowestProcessId = pid;
                }
                entry.Processes++;
            }
        }

        var commandLines = new Dictionary<int, string?>();
        var result = new List<NamespaceSummary>(found.Count);
        foreach (KeyValuePair<NamespaceKey, Occupancy> pair in found)
        {
            int lowest = pair.Value.LowestProcessId;
            if (!commandLines.TryGetValue(lowest, out string? command))
            {
                command = ProcFs.ReadCommandLine(lowest);
                commandLines[lowest] = command;
            }
            NamespaceOwner.Read(lowest, pair.Key.Type, out ulong? ownerNamespace, out uint? ownerUid);
            result.Add(new NamespaceSummary
            {
                Type = pair.Key.Type,
                Inode = pair.Key.Inode,
                Processes = pair.Value.Processes,
                LowestProcessId = lowest,
                Command = command,
                OwnerUid = ownerUid,
                OwnerUserNamespace = ownerNamespace,
                IsNodeNamespace = node.IsNodeNamespace(pair.Key.Type, pair.Key.Inode),
            });
        }
        result.Sort(static (a, b) => a.Inode != b.Inode ? a.Inode.CompareTo(b.Inode) : a.Type.CompareTo(b.Type));
        return result;
    }

    private static ulong? ReadForChildren(Span<byte> path, int prefix, Span<byte> link, NamespaceType type, ulong inode)
    {
        ReadOnlySpan<byte> relative = NamespaceFiles.ForChildrenRelativePath(type);
        if (relative.IsEmpty)
        {
            return null;
        }
        relative.CopyTo(path[prefix..]);
        // A pid namespace whose init has died has no pid_for_children any more: ENOENT, left null.
        return ProcFs.ReadNamespaceLink(path, link, out ulong children) == 0 && children != inode ? children : null;
    }

    private static ProcessNotFoundException NotFound(int pid) =>
        new(pid, $"No process with id {pid}: it does not exist or has exited. Check the id with Get-Process -Id {pid}.");

    private static string AccessDeniedMessage(int pid, NamespaceType type)
    {
        string path = $"/proc/{pid}/ns/{NamespaceFiles.Name(type)}";
        return Libc.geteuid() == 0
            ? $"Permission denied reading {path} even as root: reading another process's namespaces needs CAP_SYS_PTRACE, and the kernel or a security module may protect process {pid}. Run with CAP_SYS_PTRACE, or inspect another process that shares its namespaces."
            : $"Permission denied reading {path}: run as root, or as the user that owns process {pid}.";
    }

    /// <summary>Distinct, supported, in enum order; all supported types when none are given.</summary>
    private static NamespaceType[] Normalize(IEnumerable<NamespaceType>? types)
    {
        Span<bool> selected = stackalloc bool[NamespaceFiles.TypeCount];
        bool any = false;
        if (types is not null)
        {
            foreach (NamespaceType type in types)
            {
                if ((uint)type >= NamespaceFiles.TypeCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(types), type, "Unknown namespace type.");
                }
                selected[(int)type] = true;
                any = true;
            }
        }
        var list = new List<NamespaceType>(NamespaceFiles.TypeCount);
        for (int i = 0; i < NamespaceFiles.TypeCount; i++)
        {
            if ((!any || selected[i]) && IsSupported((NamespaceType)i))
            {
                list.Add((NamespaceType)i);
            }
        }
        return list.ToArray();
    }

    private static bool[] ReadSupportedTypes()
    {
        var supported = new bool[NamespaceFiles.TypeCount];
        Span<byte> path = stackalloc byte[ProcFs.PathCapacity];
        Span<byte> link = stackalloc byte[ProcFs.LinkCapacity];
        "/proc/self/"u8.CopyTo(path);
        for (int i = 0; i < supported.Length; i++)
        {
            NamespaceFiles.RelativePath((NamespaceType)i).CopyTo(path[11..]);
            supported[i] = ProcFs.ReadNamespaceLink(path, link, out _) == 0;
        }
        return supported;
    }

    private readonly record struct NamespaceKey(NamespaceType Type, ulong Inode);

    private struct Occupancy
    {
        public int Processes;
        public int LowestProcessId;
    }
}
