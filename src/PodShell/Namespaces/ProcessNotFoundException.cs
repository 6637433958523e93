namespace PodShell.Namespaces;

/// <summary>The process does not exist (or has exited and has no namespaces any more).</summary>
public sealed class ProcessNotFoundException : PodShellException
{
    public ProcessNotFoundException(int processId, string message) : base(message)
    {
        ProcessId = processId;
    }

    public int ProcessId { get; }
}
