using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PodShell.Engine;

namespace PodShell.Native.Logging;

/// <summary>
/// Reads a container.log in the CRI format: all of it, or only its last entries found from the end of the file
/// (a long-running container's log is not read whole for -Tail), then what was appended since (follow).
/// Only whole lines are read: the shim may be half-way through writing the last one.
/// </summary>
internal sealed class CriLogFile
{
    private const int InitialWindow = 64 * 1024;
    private readonly string _path;
    private CriLogReader _reader = new();
    private long _offset;

    public CriLogFile(string path) => _path = path;

    /// <summary>The entries written so far (the last <paramref name="tail"/> of them when given), at or after <paramref name="since"/>.</summary>
    public List<ContainerLogEntry> ReadFirst(int? tail, DateTimeOffset? since)
    {
        if (tail is not { } count) return ReadNew(since);
        using var stream = Open();
        if (stream is null) return new List<ContainerLogEntry>();
        var size = stream.Length;
        for (long window = InitialWindow; ; window *= 2)
        {
            var start = Math.Max(0, size - window);
            var (entries, uncertain, end, reader) = ReadWindow(stream, start, size, since);
            // A stream's first entry in a window that does not start the file may have begun before the window
            // (its partial lines): it only counts once a larger window has seen where it starts.
            var last = entries.Skip(Math.Max(0, entries.Count - count)).ToList();
            if (start == 0 || (entries.Count >= count && !last.Any(uncertain.Contains)))
            {
                _reader = reader;
                _offset = end;
                return count == 0 ? new List<ContainerLogEntry>() : last;
            }
        }
    }

    /// <summary>Whatever whole lines were appended since the last read (from the start after truncation).</summary>
    public List<ContainerLogEntry> ReadNew(DateTimeOffset? since = null)
    {
        using var stream = Open();
        if (stream is null) return new List<ContainerLogEntry>();
        if (stream.Length < _offset)
        {
            _offset = 0;
            _reader = new CriLogReader();
        }
        var (entries, _, end, _) = ReadWindow(stream, _offset, stream.Length, since, _reader);
        _offset = end;
        return entries;
    }

    private FileStream? Open()
    {
        try
        {
            return new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>
    /// Parses the whole lines in [start, size). A start inside the file skips to the next line first. Returns the
    /// entries, those that may have begun before start (the first of each stream), and where the last whole line ends.
    /// </summary>
    private static (List<ContainerLogEntry> Entries, HashSet<ContainerLogEntry> Uncertain, long End, CriLogReader Reader) ReadWindow(
        FileStream stream, long start, long size, DateTimeOffset? since, CriLogReader? reader = null)
    {
        var empty = (new List<ContainerLogEntry>(), new HashSet<ContainerLogEntry>(ReferenceEqualityComparer.Instance), start, reader ?? new CriLogReader());
        if (size <= start) return empty;
        var buffer = new byte[size - start];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        var first = 0;
        var windowed = reader is null && start > 0;
        if (windowed)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n');
            if (newline < 0) return empty;
            first = newline + 1;
        }
        var last = Array.LastIndexOf(buffer, (byte)'\n');
        if (last < first) return empty;
        reader ??= new CriLogReader();
        var all = reader.Feed(Encoding.UTF8.GetString(buffer, first, last + 1 - first));
        var uncertain = new HashSet<ContainerLogEntry>(ReferenceEqualityComparer.Instance);
        if (windowed)
        {
            foreach (var logStream in new[] { LogStream.Stdout, LogStream.Stderr })
            {
                if (all.FirstOrDefault(e => e.Stream == logStream) is { } entry) uncertain.Add(entry);
            }
        }
        var entries = since is { } from ? all.Where(e => e.Timestamp >= from).ToList() : all;
        return (entries, uncertain, start + last + 1, reader);
    }
}
