using System;

namespace PodShell.Engine;

/// <summary>Which part of a container's log to read (kubectl logs' options).</summary>
public sealed class LogQuery
{
    /// <summary>Only the last N entries; null for all.</summary>
    public int? Tail { get; set; }
    /// <summary>Keep yielding new entries while the container runs.</summary>
    public bool Follow { get; set; }
    /// <summary>Only entries written at or after this time.</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>The caller shows timestamps (engines whose API must be asked for them use this).</summary>
    public bool Timestamps { get; set; }
    /// <summary>The log of the previous run of a restarted container.</summary>
    public bool Previous { get; set; }
}
