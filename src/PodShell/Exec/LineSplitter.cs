using System;
using System.Collections.Generic;
using System.Text;

namespace PodShell.Exec;

/// <summary>
/// Bytes of a native command's output into lines, as pwsh reads them (StreamReader.ReadLine on UTF-8): "\n", "\r\n"
/// and "\r" end a line, a last line without an end still counts, and a character split across chunks is kept whole.
/// </summary>
internal sealed class LineSplitter
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];
    private bool _afterCarriageReturn;

    public IEnumerable<string> Add(ReadOnlySpan<byte> bytes)
    {
        int needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length) _chars = new char[Math.Max(needed, _chars.Length * 2)];
        int count = _decoder.GetChars(bytes, _chars, flush: false);
        return Split(count);
    }

    /// <summary>The last line when the output did not end with a line break.</summary>
    public IEnumerable<string> Flush()
    {
        int count = _decoder.GetChars(ReadOnlySpan<byte>.Empty, _chars, flush: true);
        var lines = new List<string>(Split(count));
        if (_line.Length > 0)
        {
            lines.Add(_line.ToString());
            _line.Clear();
        }
        return lines;
    }

    private List<string> Split(int count)
    {
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            char c = _chars[i];
            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (c == '\n') continue;
            }
            if (c == '\n' || c == '\r')
            {
                lines.Add(_line.ToString());
                _line.Clear();
                _afterCarriageReturn = c == '\r';
            }
            else _line.Append(c);
        }
        return lines;
    }
}
