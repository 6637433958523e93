using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;

namespace PodShell.Exec;

/// <summary>
/// Pipeline objects into the bytes a native command reads on stdin, as pwsh 7.4 writes them: bytes and byte arrays as
/// they are, strings as lines in $OutputEncoding, anything else as its formatted text (Out-String -Stream, so a
/// stream of objects makes one table, as it does for a native command).
/// </summary>
internal sealed class InputEncoder : IDisposable
{
    private readonly Encoding _encoding;
    private SteppablePipeline? _formatter;

    public InputEncoder(object? outputEncoding)
    {
        var encoding = (outputEncoding is PSObject wrapped ? wrapped.BaseObject : outputEncoding) as Encoding ?? new UTF8Encoding(false);
        // Text on a pipe has no byte order mark, whatever the encoding object would put first in a file.
        _encoding = encoding is UTF8Encoding ? new UTF8Encoding(false) : encoding;
    }

    public IEnumerable<byte[]> Encode(object? input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        switch (value)
        {
            case null:
                yield break;
            case byte b:
                yield return [b];
                yield break;
            case byte[] bytes:
                yield return bytes;
                yield break;
            case string text:
                yield return Line(text);
                yield break;
        }
        _formatter ??= Begin();
        foreach (var line in _formatter.Process(input)) yield return Line(line?.ToString() ?? "");
    }

    /// <summary>What the formatter still holds (the end of a table).</summary>
    public IEnumerable<byte[]> Finish()
    {
        if (_formatter is null) yield break;
        var formatter = _formatter;
        _formatter = null;
        foreach (var line in formatter.End()) yield return Line(line?.ToString() ?? "");
        formatter.Dispose();
    }

    private byte[] Line(string text) => _encoding.GetBytes(text + "\n");

    private static SteppablePipeline Begin()
    {
        var pipeline = ScriptBlock.Create("Out-String -Stream").GetSteppablePipeline(CommandOrigin.Internal);
        pipeline.Begin(true);
        return pipeline;
    }

    public void Dispose() => _formatter?.Dispose();
}
