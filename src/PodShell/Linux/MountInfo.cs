using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PodShell.Linux;

/// <summary>One line of /proc/&lt;pid&gt;/mountinfo (proc(5)), paths unescaped.</summary>
internal sealed record MountInfoEntry(
    int MountId, int ParentId, string Root, string MountPoint, string MountOptions, string FileSystemType, string Source, string SuperOptions);

/// <summary>Reads mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions".</summary>
internal static class MountInfo
{
    public const string SelfPath = "/proc/self/mountinfo";

    /// <summary>Every mount of the file, in order (a later mount on the same point hides an earlier one); malformed lines are skipped.</summary>
    public static List<MountInfoEntry> Read(string path = SelfPath)
    {
        var entries = new List<MountInfoEntry>();
        foreach (var line in File.ReadLines(path))
        {
            if (TryParse(line, out var entry)) entries.Add(entry);
        }
        return entries;
    }

    public static bool TryParse(string line, out MountInfoEntry entry)
    {
        entry = null!;
        var fields = line.Split(' ');
        if (fields.Length < 10) return false;
        int dash = Array.IndexOf(fields, "-", 6);
        if (dash < 6 || fields.Length < dash + 4) return false;
        if (!int.TryParse(fields[0], out int id) || !int.TryParse(fields[1], out int parent)) return false;
        entry = new MountInfoEntry(id, parent, Unescape(fields[3]), Unescape(fields[4]), fields[5],
            fields[dash + 1], Unescape(fields[dash + 2]), fields[dash + 3]);
        return true;
    }

    /// <summary>
    /// The kernel writes space, tab, newline and backslash in paths as three octal digits (\040, \011, \012, \134);
    /// every \ooo is a byte, so a path's UTF-8 is rebuilt byte by byte.
    /// </summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var source = Encoding.UTF8.GetBytes(field);
        var bytes = new List<byte>(source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            if (source[i] == '\\' && i + 3 < source.Length && IsOctal(source[i + 1]) && IsOctal(source[i + 2]) && IsOctal(source[i + 3]))
            {
                bytes.Add((byte)(((source[i + 1] - '0') << 6) | ((source[i + 2] - '0') << 3) | (source[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(source[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte c) => c is >= (byte)'0' and <= (byte)'7';
}
