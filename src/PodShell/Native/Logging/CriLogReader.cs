using System;
using System.Collections.Generic;
using System.Text;
using PodShell.Engine;

namespace PodShell.Native.Logging;

/// <summary>
/// Parses the CRI log format ("&lt;RFC3339Nano&gt; stdout|stderr P|F &lt;text&gt;"), joining partial (P) lines per
/// stream. Fed whole lines; a stream's partial lines wait for its next full (F) line, across Feed calls.
/// </summary>
internal sealed class CriLogReader
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public List<ContainerLogEntry> Feed(string text)
    {
        var entries = new List<ContainerLogEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (TryParseLine(line, out var timestamp, out var stream, out var full, out var content))
            {
                var pending = stream == LogStream.Stdout ? _stdout : _stderr;
                pending.Append(content);
                if (!full) continue;
                entries.Add(new ContainerLogEntry(timestamp, stream, pending.ToString()));
                pending.Clear();
            }
        }
        return entries;
    }

    /// <summary>One line of the file; false for an empty or malformed one (skipped, as kubelet skips them).</summary>
    internal static bool TryParseLine(string line, out DateTimeOffset timestamp, out LogStream stream, out bool full, out string content)
    {
        timestamp = default;
        stream = LogStream.Stdout;
        full = false;
        content = "";
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || !CriTimestamp.TryParse(parts[0], out timestamp)) return false;
        switch (parts[1])
        {
            case "stdout": stream = LogStream.Stdout; break;
            case "stderr": stream = LogStream.Stderr; break;
            default: return false;
        }
        switch (parts[2])
        {
            case "F": full = true; break;
            case "P": full = false; break;
            default: return false;
        }
        content = parts.Length == 4 ? parts[3] : "";
        return true;
    }
}
