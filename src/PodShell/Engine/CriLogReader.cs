using System.Collections.Generic;
using System.Text;

namespace PodShell.Engine;

public readonly record struct CriLogEntry(string Timestamp, string Stream, string Text);

/// <summary>Parses the CRI log format ("&lt;RFC3339Nano&gt; stdout|stderr P|F &lt;text&gt;"), joining partial (P) lines.</summary>
public sealed class CriLogReader
{
    private readonly Dictionary<string, StringBuilder> _partial = new();

    public List<CriLogEntry> Feed(string text)
    {
        var entries = new List<CriLogEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            var parts = line.Split(' ', 4);
            if (parts.Length < 3) continue;
            var content = parts.Length == 4 ? parts[3] : "";
            if (!_partial.TryGetValue(parts[1], out var pending))
            {
                pending = new StringBuilder();
                _partial[parts[1]] = pending;
            }
            pending.Append(content);
            if (parts[2] == "P") continue;
            entries.Add(new CriLogEntry(parts[0], parts[1], pending.ToString()));
            pending.Clear();
        }
        return entries;
    }
}
