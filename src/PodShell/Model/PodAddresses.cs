using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace PodShell.Model;

/// <summary>How every engine picks Pod.IP out of Pod.IPs.</summary>
public static class PodAddresses
{
    /// <summary>The pod's primary address: its first IPv4 one, else its first (as kubectl get pod -o wide shows it).</summary>
    public static string? Primary(IEnumerable<string> ips)
    {
        var list = ips as IReadOnlyList<string> ?? ips.ToList();
        return list.FirstOrDefault(ip => IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetwork) ?? list.FirstOrDefault();
    }
}
