// /proc/<pid>/stat as both PodShell.dll and podshell-init read it (linked source in both).
using System;
using System.Globalization;

namespace PodShell.Linux;

/// <summary>The fields of /proc/&lt;pid&gt;/stat PodShell uses (proc(5) numbering in the comments).</summary>
internal readonly record struct ProcStat(char State, int ParentPid, uint Flags, ulong StartTime)
{
    /// <summary>A zombie or a dead process: its pid is not a running process any more.</summary>
    public bool IsGone => State is 'Z' or 'X';

    /// <summary>Parses the file's text; comm (field 2) may hold spaces and parentheses, so fields are taken after the last ')'.</summary>
    public static bool TryParse(string text, out ProcStat stat)
    {
        stat = default;
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return false;
        // fields[0] is field 3 (state), [1] field 4 (ppid), [6] field 9 (flags), [19] field 22 (starttime).
        string[] fields = text.Substring(close + 2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1) return false;
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid)
            || !uint.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out uint flags)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return false;
        }
        stat = new ProcStat(fields[0][0], ppid, flags, start);
        return true;
    }
}
