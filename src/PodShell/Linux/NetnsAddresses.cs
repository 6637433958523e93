using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PodShell.Linux;

/// <summary>
/// The addresses a network namespace holds, read from the kernel through a process in it (/proc/&lt;pid&gt;/net/fib_trie
/// and if_inet6 show the namespace of that process): a witness that needs neither setns nor ip(8).
/// </summary>
public static class NetnsAddresses
{
    /// <summary>The process's namespace's own addresses (loopback left out); empty when the process is gone.</summary>
    public static IReadOnlyList<string> Of(int pid)
    {
        var result = new List<string>();
        try
        {
            result.AddRange(LocalIPv4(File.ReadAllText($"/proc/{pid}/net/fib_trie")));
            var inet6 = $"/proc/{pid}/net/if_inet6";
            if (File.Exists(inet6)) result.AddRange(IPv6(File.ReadAllText(inet6)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>fib_trie's leaves: "|-- &lt;address&gt;" followed by "/32 host LOCAL" is an address of an interface of the namespace.</summary>
    internal static IEnumerable<string> LocalIPv4(string fibTrie)
    {
        string? leaf = null;
        foreach (var raw in fibTrie.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("|-- ", StringComparison.Ordinal)) leaf = line[4..].Trim();
            else if (leaf is not null && line.StartsWith("/32 host LOCAL", StringComparison.Ordinal) && !leaf.StartsWith("127.", StringComparison.Ordinal)) yield return leaf;
        }
    }

    /// <summary>if_inet6: "&lt;32 hex digits&gt; &lt;ifindex&gt; &lt;prefix&gt; &lt;scope&gt; &lt;flags&gt; &lt;device&gt;"; global scope (00) only.</summary>
    internal static IEnumerable<string> IPv6(string ifInet6)
    {
        foreach (var line in ifInet6.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[0].Length != 32 || fields[3] != "00") continue;
            var bytes = Convert.FromHexString(fields[0]);
            yield return new System.Net.IPAddress(bytes).ToString();
        }
    }
}
