using PodShell.Model;

namespace PodShell.Namespaces;

/// <summary>The caller may not read the process's namespace links (ptrace access mode read is needed).</summary>
public sealed class NamespaceAccessDeniedException : PodShellException
{
    public NamespaceAccessDeniedException(int processId, NamespaceType type, string message) : base(message)
    {
        ProcessId = processId;
        Type = type;
    }

    public int ProcessId { get; }

    public NamespaceType Type { get; }
}
