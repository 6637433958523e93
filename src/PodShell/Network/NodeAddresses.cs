using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.NetworkInformation;

namespace PodShell.Network;

/// <summary>The node's own addresses: those of the interface that holds the default route (what a hostNetwork pod reports as its IP).</summary>
public static class NodeAddresses
{
    public static IEnumerable<string> Primary()
    {
        var device = DefaultRouteDevice();
        if (device is null) return Enumerable.Empty<string>();
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == device);
        if (nic is null) return Enumerable.Empty<string>();
        return nic.GetIPProperties().UnicastAddresses
            .Where(a => !a.Address.IsIPv6LinkLocal)
            .OrderBy(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1)
            .Select(a => a.Address.ToString())
            .ToList();
    }

    private static string? DefaultRouteDevice()
    {
        if (!File.Exists("/proc/net/route")) return null;
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            var fields = line.Split('\t', System.StringSplitOptions.TrimEntries);
            if (fields.Length > 7 && fields[1] == "00000000" && fields[7] == "00000000") return fields[0];
        }
        return null;
    }
}
