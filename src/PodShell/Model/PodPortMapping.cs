using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PodShell.Model;

public enum PortProtocol { Tcp, Udp, Sctp }

/// <summary>A host port forwarded to a port of the pod (Kubernetes' hostPort), written like docker's -p: [hostIP:]hostPort:containerPort[/protocol].</summary>
public sealed class PodPortMapping
{
    private static readonly Regex Syntax = new(
        @"^(?:(?<ip>\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):)?(?:(?<host>\d+):)?(?<container>\d+)(?:/(?<proto>tcp|udp|sctp))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public int HostPort { get; set; }
    public int ContainerPort { get; set; }
    public PortProtocol Protocol { get; set; } = PortProtocol.Tcp;
    /// <summary>The node address the port listens on; empty means every address.</summary>
    public string HostIP { get; set; } = "";

    /// <summary>Parses "8080:80/tcp", "127.0.0.1:8080:80", or "80" (the same port on both sides).</summary>
    public static PodPortMapping Parse(string text)
    {
        var match = Syntax.Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a port mapping. Write [hostIP:]hostPort:containerPort[/tcp|udp|sctp], for example 8080:80/tcp.");
        }
        var container = ParsePort(match.Groups["container"].Value, text);
        var host = match.Groups["host"].Success ? ParsePort(match.Groups["host"].Value, text) : container;
        var protocol = match.Groups["proto"].Success
            ? Enum.Parse<PortProtocol>(match.Groups["proto"].Value, ignoreCase: true)
            : PortProtocol.Tcp;
        var ip = match.Groups["ip"].Success ? match.Groups["ip"].Value.Trim('[', ']') : "";
        if (ip.Length > 0 && !System.Net.IPAddress.TryParse(ip, out _))
        {
            throw new FormatException($"'{ip}' in '{text}' is not an IP address.");
        }
        return new PodPortMapping { HostPort = host, ContainerPort = container, Protocol = protocol, HostIP = ip };
    }

    private static int ParsePort(string digits, string text)
    {
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{digits}' in '{text}' is not a port number (1-65535).");
        }
        return port;
    }

    public override string ToString()
    {
        var ip = HostIP.Length == 0 ? "" : HostIP.Contains(':') ? $"[{HostIP}]:" : HostIP + ":";
        return $"{ip}{HostPort}:{ContainerPort}/{Protocol.ToString().ToLowerInvariant()}";
    }
}
