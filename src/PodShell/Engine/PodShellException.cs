namespace PodShell;

/// <summary>The exception type behind PodShell's ErrorRecords.</summary>
public class PodShellException : System.Exception
{
    public PodShellException(string message, System.Exception? inner = null) : base(message, inner) { }
}
