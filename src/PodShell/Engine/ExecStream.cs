namespace PodShell.Engine;

/// <summary>Which output of an exec'd command a chunk of bytes came from.</summary>
public enum ExecStream { Stdout, Stderr }
