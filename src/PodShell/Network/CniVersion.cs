using System;

namespace PodShell.Network;

/// <summary>CNI spec versions (major.minor.patch), to know whether CHECK exists and which result layout a plugin wrote.</summary>
public readonly record struct CniVersion(int Major, int Minor, int Patch) : IComparable<CniVersion>
{
    public static readonly CniVersion V040 = new(0, 4, 0);
    public static readonly CniVersion V030 = new(0, 3, 0);

    public static bool TryParse(string? text, out CniVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) return false;
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 3) return false;
        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out numbers[i]) || numbers[i] < 0) return false;
        }
        version = new CniVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>A config without cniVersion is 0.1.0 for libcni.</summary>
    public static CniVersion ParseOrOldest(string? text) => TryParse(text, out var v) ? v : new CniVersion(0, 1, 0);

    public int CompareTo(CniVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public static bool operator <(CniVersion a, CniVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(CniVersion a, CniVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(CniVersion a, CniVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(CniVersion a, CniVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
