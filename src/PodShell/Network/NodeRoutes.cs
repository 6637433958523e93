using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;

namespace PodShell.Network;

/// <summary>The node's IPv4 routes (from /proc/net/route), to pick pod subnets that clash with none of them.</summary>
public static class NodeRoutes
{
    public static IEnumerable<IPv4Subnet> Read(string path = "/proc/net/route")
    {
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 8 || fields[0] == "Iface") continue;
            if (!uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination)) continue;
            if (!uint.TryParse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)) continue;
            if (mask == 0) continue; // the default route covers everything: it is no clash
            // procfs prints the addresses in host (little-endian) byte order.
            var prefix = System.Numerics.BitOperations.PopCount(mask);
            yield return new IPv4Subnet(ToHostOrder(destination), prefix);
        }
    }

    private static uint ToHostOrder(uint little) =>
        BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(little) : little;
}

/// <summary>An IPv4 network (address and prefix length), for overlap tests.</summary>
public readonly record struct IPv4Subnet(uint Network, int Prefix)
{
    public uint Mask => Prefix == 0 ? 0 : uint.MaxValue << (32 - Prefix);

    public bool Overlaps(IPv4Subnet other)
    {
        var mask = Prefix < other.Prefix ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public static bool TryParse(string text, out IPv4Subnet subnet)
    {
        subnet = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 0 or > 32) return false;
        var bytes = ip.GetAddressBytes();
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        subnet = new IPv4Subnet(value, prefix);
        return true;
    }

    public uint Host(uint offset) => (Network & Mask) + offset;

    public static string Format(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";

    public override string ToString() => $"{Format(Network & Mask)}/{Prefix}";
}
