using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Channels;

namespace PodShell.Engine;

/// <summary>One command to run inside a running container.</summary>
public sealed class ExecRequest
{
    /// <summary>argv: the command and then its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = Array.Empty<string>();
    /// <summary>Null: the container's own working directory.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>Added to (and overriding) the container's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    /// <summary>Copied to the command's standard input; null: the command reads end-of-file.</summary>
    public Stream? Stdin { get; init; }
    /// <summary>A pty allocated on the container side.</summary>
    public bool Tty { get; init; }
    public TerminalSize? InitialSize { get; init; }
    /// <summary>With <see cref="Tty"/>: the caller's window sizes as they change (the engine resizes the pty); null: fixed.</summary>
    public ChannelReader<TerminalSize>? SizeChanges { get; init; }
}
