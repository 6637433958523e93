using System;
using System.Collections.Concurrent;
using System.Text;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>
/// An exec's output as lines: bytes from the engine's threads are decoded per stream (UTF-8), cut at '\n'
/// (a trailing '\r' dropped) and queued for the pipeline thread, which takes them from <see cref="Lines"/>.
/// </summary>
internal sealed class ExecLineOutput : IExecOutput, IDisposable
{
    private readonly StreamLines _stdout = new();
    private readonly StreamLines _stderr = new();

    public BlockingCollection<(ExecStream Stream, string Text)> Lines { get; } = new();

    public void Write(ExecStream stream, ReadOnlySpan<byte> data)
    {
        var lines = stream == ExecStream.Stdout ? _stdout : _stderr;
        lock (lines)
        {
            foreach (var line in lines.Add(data)) Lines.Add((stream, line));
        }
    }

    /// <summary>The command is done: a last line without newline is still a line; then no more come.</summary>
    public void Complete()
    {
        foreach (var stream in new[] { ExecStream.Stdout, ExecStream.Stderr })
        {
            var lines = stream == ExecStream.Stdout ? _stdout : _stderr;
            lock (lines)
            {
                if (lines.Flush() is { } last) Lines.Add((stream, last));
            }
        }
        Lines.CompleteAdding();
    }

    public void Dispose() => Lines.Dispose();

    private sealed class StreamLines
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private readonly StringBuilder _pending = new();

        public System.Collections.Generic.List<string> Add(ReadOnlySpan<byte> data)
        {
            var chars = new char[_decoder.GetCharCount(data, flush: false)];
            _decoder.GetChars(data, chars, flush: false);
            var lines = new System.Collections.Generic.List<string>();
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    lines.Add(TakeLine());
                    continue;
                }
                _pending.Append(c);
            }
            return lines;
        }

        public string? Flush() => _pending.Length > 0 ? TakeLine() : null;

        private string TakeLine()
        {
            if (_pending.Length > 0 && _pending[^1] == '\r') _pending.Length--;
            var line = _pending.ToString();
            _pending.Clear();
            return line;
        }
    }
}
