using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using PodShell.Model;

namespace PodShell.Network;

/// <summary>What a config list says about its network: subnets and gateways of its IPAM, its bridge, its chain.</summary>
public static class CniNetworkDescription
{
    public const string ManagedKey = "podshellManaged";

    public static PodNetwork Describe(CniConfigList config, bool isDefault)
    {
        var ranges = Ranges(config).ToList();
        return new PodNetwork
        {
            Name = config.Name,
            Engine = PodEngineKind.Native,
            Type = config.PluginTypes.First(),
            CniVersion = config.CniVersion,
            Plugins = config.PluginTypes.ToArray(),
            Subnets = ranges.Select(r => r.Subnet).Distinct().ToArray(),
            Gateways = ranges.Select(r => r.Gateway).OfType<string>().Distinct().ToArray(),
            Bridge = Bridge(config),
            IsDefault = isDefault,
            ConfigPath = config.Path,
        };
    }

    public static string? Bridge(CniConfigList config) =>
        config.Plugins.FirstOrDefault(p => Str(p["type"]) == "bridge") is { } bridge ? Str(bridge["bridge"]) ?? "cni0" : null;

    /// <summary>The IPAM subnets of every plugin: host-local's ranges (or its older single subnet), static's addresses.</summary>
    public static IEnumerable<(string Subnet, string? Gateway)> Ranges(CniConfigList config)
    {
        foreach (var plugin in config.Plugins)
        {
            if (plugin["ipam"] is not JsonObject ipam) continue;
            if (Str(ipam["subnet"]) is { } single) yield return (single, Str(ipam["gateway"]));
            if (ipam["ranges"] is JsonArray sets)
            {
                foreach (var set in sets.OfType<JsonArray>())
                {
                    foreach (var range in set.OfType<JsonObject>())
                    {
                        if (Str(range["subnet"]) is { } subnet) yield return (subnet, Str(range["gateway"]));
                    }
                }
            }
        }
    }

    /// <summary>host-local's reservation folder: ipam.dataDir or its default, one folder per network name.</summary>
    public static string? HostLocalDataDirectory(CniConfigList config)
    {
        foreach (var plugin in config.Plugins)
        {
            if (plugin["ipam"] is JsonObject ipam && Str(ipam["type"]) == "host-local")
            {
                return System.IO.Path.Combine(Str(ipam["dataDir"]) ?? "/var/lib/cni/networks", config.Name);
            }
        }
        return null;
    }

    public static bool IsManaged(CniConfigList config) =>
        JsonNode.Parse(config.Text) is JsonObject root && root[ManagedKey] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
