using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace PodShell.Network;

public sealed record CniInterface(string Name, string? Mac, string? Sandbox);
/// <summary>An address with its prefix (10.88.0.2/16), its gateway and the index of its interface in the result.</summary>
public sealed record CniIPConfig(string Address, string? Gateway, int? Interface)
{
    public string IP => Address.Split('/')[0];
}
public sealed record CniRoute(string Destination, string? Gateway);
public sealed record CniDns(IReadOnlyList<string> Nameservers, string? Domain, IReadOnlyList<string> Search, IReadOnlyList<string> Options)
{
    public static readonly CniDns Empty = new(Array.Empty<string>(), null, Array.Empty<string>(), Array.Empty<string>());
    public bool IsEmpty => Nameservers.Count == 0 && Domain is null && Search.Count == 0 && Options.Count == 0;
}

/// <summary>
/// A plugin chain's result: the 0.3.0+ layout (interfaces, ips, routes, dns), and the older ip4/ip6 layout
/// read into the same shape. The JSON object itself is kept as the prevResult of the next call.
/// </summary>
public sealed class CniResult
{
    private CniResult(JsonObject json, IReadOnlyList<CniInterface> interfaces, IReadOnlyList<CniIPConfig> ips, IReadOnlyList<CniRoute> routes, CniDns dns)
    {
        Json = json;
        Interfaces = interfaces;
        IPs = ips;
        Routes = routes;
        Dns = dns;
    }

    public JsonObject Json { get; }
    public IReadOnlyList<CniInterface> Interfaces { get; }
    public IReadOnlyList<CniIPConfig> IPs { get; }
    public IReadOnlyList<CniRoute> Routes { get; }
    public CniDns Dns { get; }

    /// <summary>The addresses of the pod's own interface (the one in the sandbox, or every one when the result does not say).</summary>
    public IEnumerable<CniIPConfig> SandboxIPs(string ifName)
    {
        var own = IPs.Where(ip => ip.Interface is { } i && i >= 0 && i < Interfaces.Count && Interfaces[i].Sandbox is { Length: > 0 } && Interfaces[i].Name == ifName).ToList();
        return own.Count > 0 ? own : IPs.Where(ip => ip.Interface is null || ip.Interface >= Interfaces.Count || Interfaces[ip.Interface.Value].Sandbox is { Length: > 0 });
    }

    public static CniResult Parse(JsonObject json)
    {
        var interfaces = new List<CniInterface>();
        var ips = new List<CniIPConfig>();
        var routes = new List<CniRoute>();

        if (json["interfaces"] is JsonArray ifaces)
        {
            foreach (var i in ifaces.OfType<JsonObject>())
            {
                interfaces.Add(new CniInterface(Str(i["name"]) ?? "", Str(i["mac"]), Str(i["sandbox"])));
            }
        }
        if (json["ips"] is JsonArray ipArray)
        {
            foreach (var ip in ipArray.OfType<JsonObject>())
            {
                if (Str(ip["address"]) is not { } address) continue;
                int? index = ip["interface"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
                ips.Add(new CniIPConfig(address, Str(ip["gateway"]), index));
            }
        }
        // 0.1.0/0.2.0: ip4 and ip6 objects, each with its own routes.
        foreach (var key in new[] { "ip4", "ip6" })
        {
            if (json[key] is not JsonObject old) continue;
            if (Str(old["ip"]) is { } address) ips.Add(new CniIPConfig(address, Str(old["gateway"]), null));
            ReadRoutes(old["routes"], routes);
        }
        ReadRoutes(json["routes"], routes);

        var dns = CniDns.Empty;
        if (json["dns"] is JsonObject d)
        {
            dns = new CniDns(Strings(d["nameservers"]), Str(d["domain"]), Strings(d["search"]), Strings(d["options"]));
        }
        return new CniResult(json, interfaces, ips, routes, dns);
    }

    private static void ReadRoutes(JsonNode? node, List<CniRoute> routes)
    {
        if (node is not JsonArray array) return;
        foreach (var r in array.OfType<JsonObject>())
        {
            if (Str(r["dst"]) is { } dst) routes.Add(new CniRoute(dst, Str(r["gw"])));
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(Str).OfType<string>().ToArray() : Array.Empty<string>();
}
