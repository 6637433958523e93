using System.Globalization;
using System.IO;
using PodShell.Model;

namespace PodShell.Native;

/// <summary>/proc/&lt;pid&gt;/oom_score_adj, written as kubelet asks the runtime to.</summary>
internal static class OomScore
{
    /// <summary>
    /// Writes the score; a negative one needs CAP_SYS_RESOURCE (the kernel answers EACCES without it), and then 0 is
    /// written instead: the lowest a process may set for itself, still below every Burstable score (3 or more).
    /// Returns the value in effect, or null when the process is gone.
    /// </summary>
    public static int? TryWrite(int pid, int score)
    {
        string path = $"/proc/{pid}/oom_score_adj";
        try
        {
            File.WriteAllText(path, score.ToString(CultureInfo.InvariantCulture));
        }
        catch (System.UnauthorizedAccessException) when (score < 0)
        {
            try { File.WriteAllText(path, "0"); }
            catch (IOException) { return null; }
            catch (System.UnauthorizedAccessException) { }
        }
        catch (IOException)
        {
            return null;
        }
        return Read(pid);
    }

    public static int? Read(int pid)
    {
        try
        {
            return int.TryParse(File.ReadAllText($"/proc/{pid}/oom_score_adj").Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : null;
        }
        catch (IOException) { return null; }
        catch (System.UnauthorizedAccessException) { return null; }
    }

    /// <summary>A process's oom_score_adj as a planned setting, for -Explain: the value kubelet's policy gives and what the file holds.</summary>
    public static CgroupSetting Explain(string target, string cgroup, int pid, int score, string quantity, string formula, int depth)
    {
        string file = $"/proc/{pid}/oom_score_adj";
        int? current = Read(pid);
        if (current is not null && current != score && score < 0 && current == 0)
        {
            formula += "; the node refuses negative values without CAP_SYS_RESOURCE, so 0 was written";
        }
        return new CgroupSetting
        {
            Target = target, Cgroup = "/" + cgroup, Controller = "oom", Name = "oom_score_adj", File = file,
            Value = score.ToString(CultureInfo.InvariantCulture), Current = current?.ToString(CultureInfo.InvariantCulture),
            Quantity = quantity, Formula = formula, Depth = depth, InEffect = current == score,
        };
    }
}
