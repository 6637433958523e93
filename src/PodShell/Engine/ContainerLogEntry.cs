using System;

namespace PodShell.Engine;

public enum LogStream { Stdout, Stderr }

/// <summary>One line of a container's log, partial lines joined.</summary>
public sealed record ContainerLogEntry(DateTimeOffset Timestamp, LogStream Stream, string Text);
