using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using PodShell.Model;

namespace PodShell.Network;

/// <summary>
/// A pod's resolv.conf: the network's DNS (from the CNI result) when it names servers, else the node's
/// file; then the pod's own settings merged over it as kubelet merges dnsConfig (servers and searches
/// added, options replaced by name).
/// </summary>
public static class ResolvConf
{
    public sealed record Content(List<string> Nameservers, List<string> Searches, List<string> Options);

    public static Content Parse(string text)
    {
        var result = new Content(new(), new(), new());
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1: result.Nameservers.Add(fields[1]); break;
                case "search": result.Searches.Clear(); result.Searches.AddRange(fields.Skip(1)); break;
                case "domain" when fields.Length > 1: result.Searches.Clear(); result.Searches.Add(fields[1]); break;
                case "options": result.Options.AddRange(fields.Skip(1)); break;
            }
        }
        return result;
    }

    /// <param name="ownNetwork">The pod has its own network namespace: the node's loopback resolvers (systemd-resolved, dnsmasq on 127.0.0.x) are not reachable from it.</param>
    public static string Build(CniDns? network, string nodeResolvConf, PodDnsConfig? pod, bool ownNetwork)
    {
        Content content;
        if (network is { Nameservers.Count: > 0 })
        {
            var searches = network.Search.ToList();
            if (searches.Count == 0 && network.Domain is { Length: > 0 } domain) searches.Add(domain);
            content = new Content(network.Nameservers.ToList(), searches, network.Options.ToList());
        }
        else
        {
            content = Parse(nodeResolvConf);
            if (ownNetwork) content.Nameservers.RemoveAll(IsLoopback);
        }
        if (pod is not null)
        {
            foreach (var server in pod.Nameservers) if (!content.Nameservers.Contains(server)) content.Nameservers.Add(server);
            foreach (var search in pod.Searches) if (!content.Searches.Contains(search)) content.Searches.Add(search);
            foreach (var option in pod.Options)
            {
                var name = option.Split(':')[0];
                content.Options.RemoveAll(o => o.Split(':')[0] == name);
                content.Options.Add(option);
            }
        }
        return Render(content);
    }

    public static string Render(Content content)
    {
        var text = new StringBuilder();
        // The resolver reads three servers and six search domains (glibc's MAXNS and MAXDNSRCH).
        foreach (var server in content.Nameservers.Take(3)) text.Append("nameserver ").Append(server).Append('\n');
        if (content.Searches.Count > 0) text.Append("search ").Append(string.Join(' ', content.Searches.Take(6))).Append('\n');
        if (content.Options.Count > 0) text.Append("options ").Append(string.Join(' ', content.Options)).Append('\n');
        return text.ToString();
    }

    private static bool IsLoopback(string server) => IPAddress.TryParse(server, out var ip) && IPAddress.IsLoopback(ip);
}
