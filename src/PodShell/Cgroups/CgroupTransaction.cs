using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Model;

namespace PodShell.Cgroups;

/// <summary>
/// Writes a set of cgroup values all or nothing: each file's old content is read before it is written, and when
/// a write fails the files written before it get their old content back, newest first. Writes that loosen a limit
/// go parents first, the others children first, so a child never exceeds its parent's CFS bandwidth on the way
/// (the kernel refuses that with EINVAL on v1).
/// </summary>
public static class CgroupTransaction
{
    /// <summary>The order the writes will happen in (values already in effect are left out).</summary>
    public static List<CgroupSetting> Order(IEnumerable<CgroupSetting> settings)
    {
        var pending = settings.Where(s => !s.InEffect && !(s.Current is not null && CgroupResourceFiles.SameValue(s.Name, s.Current, s.Value))).Select((s, i) => (Setting: s, Index: i)).ToList();
        bool Loosens(CgroupSetting s)
        {
            double? before = s.Current is null ? null : CgroupResourceFiles.Limit(s.Name, s.Current);
            double? after = CgroupResourceFiles.Limit(s.Name, s.Value);
            return before is not null && after is not null && after > before;
        }
        var loosen = pending.Where(p => Loosens(p.Setting)).OrderBy(p => p.Setting.Depth).ThenBy(p => p.Index);
        var rest = pending.Where(p => !Loosens(p.Setting)).OrderByDescending(p => p.Setting.Depth).ThenBy(p => p.Index);
        return loosen.Concat(rest).Select(p => p.Setting).ToList();
    }

    /// <summary>Applies the settings; returns those written. On failure every earlier write is undone and a CgroupWriteException says which failed and what was put back.</summary>
    public static List<CgroupSetting> Apply(IEnumerable<CgroupSetting> settings)
    {
        var ordered = Order(settings);
        var done = new List<(CgroupSetting Setting, string? Old)>();
        foreach (var setting in ordered)
        {
            string? old = CgroupIO.ReadText(setting.File);
            try
            {
                CgroupIO.Write(setting.File, setting.Value);
            }
            catch (IOException e)
            {
                var restored = new List<string>();
                var failed = new List<string>();
                for (int i = done.Count - 1; i >= 0; i--)
                {
                    var (written, previous) = done[i];
                    if (previous is null) { failed.Add(written.File); continue; }
                    try
                    {
                        CgroupIO.Write(written.File, previous);
                        restored.Add($"{written.File} = {previous}");
                    }
                    catch (IOException)
                    {
                        failed.Add(written.File);
                    }
                }
                throw new CgroupWriteException(setting, e, restored, failed);
            }
            done.Add((setting, old));
        }
        return done.Select(d => d.Setting).ToList();
    }
}

/// <summary>A cgroup write the kernel refused, after the writes before it were put back.</summary>
public sealed class CgroupWriteException : IOException
{
    public CgroupWriteException(CgroupSetting failed, IOException cause, IReadOnlyList<string> restored, IReadOnlyList<string> notRestored)
        : base(Describe(failed, cause, restored, notRestored), cause)
    {
        Failed = failed;
        Restored = restored;
        NotRestored = notRestored;
    }

    public CgroupSetting Failed { get; }
    public IReadOnlyList<string> Restored { get; }
    public IReadOnlyList<string> NotRestored { get; }

    private static string Describe(CgroupSetting failed, IOException cause, IReadOnlyList<string> restored, IReadOnlyList<string> notRestored)
    {
        string text = cause.Message;
        text += restored.Count == 0 ? " Nothing had been written before it." : $" Put back: {string.Join("; ", restored)}.";
        if (notRestored.Count > 0) text += $" Could not put back: {string.Join(", ", notRestored)}.";
        return text;
    }
}
