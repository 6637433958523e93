using System.Collections.Generic;
using System.Globalization;
using System.IO;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Security;

internal sealed record ResolvedUser(uint Uid, uint Gid, uint[] SupplementaryGroups, string Home);

/// <summary>Resolves "uid", "uid:gid", "name", "name:group" against the container's /etc/passwd and /etc/group, as runc does.</summary>
internal static class UserResolver
{
    /// <summary>
    /// Resolves in the current root (the container's, after pivot_root), or under <paramref name="root"/> (tests).
    /// <paramref name="extraGroups"/> (the pod's supplementalGroups and fsGroup) are added to the user's own, as runc's additionalGids.
    /// </summary>
    public static ResolvedUser Resolve(string? user, string root = "", IReadOnlyList<uint>? extraGroups = null, bool groupFile = true)
    {
        string userPart = "0", groupPart = "";
        if (!string.IsNullOrEmpty(user))
        {
            int colon = user.IndexOf(':');
            userPart = colon < 0 ? user : user[..colon];
            groupPart = colon < 0 ? "" : user[(colon + 1)..];
        }

        string[]? entry = null;
        foreach (string[] fields in Entries(root + "/etc/passwd", 7))
        {
            if (fields[0] == userPart || fields[2] == userPart)
            {
                entry = fields;
                break;
            }
        }
        uint uid, gid;
        string home = "/";
        string? name = null;
        if (entry is not null)
        {
            uid = Number(entry[2], "uid");
            gid = Number(entry[3], "gid");
            home = entry[5].Length > 0 ? entry[5] : "/";
            name = entry[0];
        }
        else if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out uid))
            gid = 0;
        else
            throw new InitException($"unable to find user {userPart}: no matching entries in passwd file");

        var groups = new List<uint>();
        if (groupPart.Length > 0)
        {
            gid = ResolveGroup(groupPart, root);
        }
        else if (name is not null && groupFile)
        {
            foreach (string[] fields in Entries(root + "/etc/group", 4))
            {
                if (System.Array.IndexOf(fields[3].Split(','), name) >= 0 && uint.TryParse(fields[2], out uint member))
                    groups.Add(member);
            }
        }
        if (!groups.Contains(gid)) groups.Insert(0, gid);
        foreach (uint extra in extraGroups ?? []) if (!groups.Contains(extra)) groups.Add(extra);
        return new ResolvedUser(uid, gid, groups.ToArray(), home);
    }

    private static uint ResolveGroup(string group, string root)
    {
        foreach (string[] fields in Entries(root + "/etc/group", 4))
            if (fields[0] == group || fields[2] == group) return Number(fields[2], "gid");
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid)) return gid;
        throw new InitException($"unable to find group {group}: no matching entries in group file");
    }

    private static IEnumerable<string[]> Entries(string file, int fieldCount)
    {
        if (!File.Exists(file)) yield break;
        foreach (string line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] fields = line.Split(':');
            if (fields.Length >= fieldCount) yield return fields;
        }
    }

    private static uint Number(string text, string what) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) ? n : throw new InitException($"bad {what} '{text}'");
}
