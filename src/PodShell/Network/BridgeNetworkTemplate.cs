using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PodShell.Engine;

namespace PodShell.Network;

/// <summary>What New-PodNetwork asks for: a bridge network with host-local IPAM and portmap.</summary>
public sealed class BridgeNetworkSpec
{
    public string Name { get; set; } = BridgeNetworkTemplate.DefaultName;
    /// <summary>An IPv4 CIDR; null picks a free private /16.</summary>
    public string? Subnet { get; set; }
    public string? Gateway { get; set; }
    /// <summary>The node's bridge device; null derives one from the name.</summary>
    public string? Bridge { get; set; }
    /// <summary>Masquerade traffic from pods to outside the subnet (bridge's ipMasq), as containerd's default network does.</summary>
    public bool IPMasq { get; set; } = true;
}

/// <summary>
/// PodShell's own network: bridge + host-local on a private subnet that clashes with no route of the node
/// nor any other network of the folder, portmap for host ports (the sandbox's lo is brought up by podshell-init).
/// </summary>
public static class BridgeNetworkTemplate
{
    public const string DefaultName = "podshell";
    /// <summary>Names the network written when the config folder has none (default: podshell).</summary>
    public const string DefaultNameVariable = "PODSHELL_DEFAULT_NETWORK";
    private static readonly Regex NameSyntax = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant);
    private static readonly Regex InterfaceSyntax = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$", RegexOptions.CultureInvariant);

    public static string DefaultNetworkName
    {
        get
        {
            var name = Environment.GetEnvironmentVariable(DefaultNameVariable);
            return string.IsNullOrEmpty(name) ? DefaultName : name;
        }
    }

    public static void ValidateName(string name)
    {
        if (!NameSyntax.IsMatch(name) || IsReserved(name))
        {
            throw new PodEngineException(ErrorIds.InvalidNetworkName, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a network name.",
                "Use letters, digits, '.', '_' and '-' (at most 63 characters, starting with a letter or digit); None and Host are reserved.");
        }
    }

    public static bool IsReserved(string name) =>
        name.Equals("None", StringComparison.OrdinalIgnoreCase) || name.Equals("Host", StringComparison.OrdinalIgnoreCase);

    public static string FileName(string name) => $"87-{name}.conflist";

    /// <summary>"ps-" and the name when that fits an interface name (15 characters), else "ps-" and a hash of it.</summary>
    public static string BridgeNameFor(string name)
    {
        var plain = "ps-" + name;
        if (InterfaceSyntax.IsMatch(plain)) return plain;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
        return "ps-" + hash[..12];
    }

    /// <summary>
    /// The first private /16 from 10.88.0.0 on (podshell) or from a point the name picks (other names, so
    /// that networks made at the same time elsewhere on the node rarely try the same one) that overlaps none of <paramref name="taken"/>.
    /// </summary>
    public static IPv4Subnet PickSubnet(string name, IReadOnlyCollection<IPv4Subnet> taken)
    {
        const int first = 88, count = 255 - first;
        var start = name == DefaultName ? 0 : (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0) % count);
        for (var i = 0; i < count; i++)
        {
            var candidate = new IPv4Subnet((uint)(10 << 24 | (first + (start + i) % count) << 16), 16);
            if (!taken.Any(t => t.Overlaps(candidate))) return candidate;
        }
        throw new PodEngineException(ErrorIds.NoFreeSubnet, ErrorCategory.ResourceUnavailable, name,
            "Every private /16 from 10.88.0.0 to 10.254.0.0 overlaps a route of the node or another network.",
            "Name a subnet: New-PodNetwork -Subnet <CIDR>.");
    }

    public static string Render(BridgeNetworkSpec spec, IReadOnlyCollection<IPv4Subnet> taken)
    {
        var (bridge, subnet) = Validate(spec, taken);
        var range = new JsonObject { ["subnet"] = subnet.ToString() };
        if (spec.Gateway is not null) range["gateway"] = spec.Gateway;

        var root = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = spec.Name,
            [CniNetworkDescription.ManagedKey] = true,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = bridge,
                    ["isGateway"] = true,
                    ["ipMasq"] = spec.IPMasq,
                    ["hairpinMode"] = true,
                    ["ipam"] = new JsonObject
                    {
                        ["type"] = "host-local",
                        ["ranges"] = new JsonArray(new JsonArray(range)),
                        ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
                    },
                },
                new JsonObject
                {
                    ["type"] = "portmap",
                    ["capabilities"] = new JsonObject { ["portMappings"] = true },
                }),
        };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The checks every engine's New-PodNetwork makes (name, bridge name, subnet, gateway): the bridge device
    /// (given or derived from the name) and the subnet (given, or a free private /16 none of <paramref name="taken"/> overlaps).
    /// </summary>
    public static (string Bridge, IPv4Subnet Subnet) Validate(BridgeNetworkSpec spec, IReadOnlyCollection<IPv4Subnet> taken)
    {
        ValidateName(spec.Name);
        var bridge = spec.Bridge ?? BridgeNameFor(spec.Name);
        if (!InterfaceSyntax.IsMatch(bridge))
        {
            throw new PodEngineException(ErrorIds.InvalidBridgeName, ErrorCategory.InvalidArgument, bridge,
                $"'{bridge}' is not an interface name.", "Use at most 15 letters, digits, '.', '_' or '-'.");
        }
        IPv4Subnet subnet;
        if (spec.Subnet is null)
        {
            subnet = PickSubnet(spec.Name, taken);
        }
        else if (!IPv4Subnet.TryParse(spec.Subnet, out subnet) || subnet.Prefix is < 8 or > 30)
        {
            throw new PodEngineException(ErrorIds.InvalidSubnet, ErrorCategory.InvalidArgument, spec.Subnet,
                $"'{spec.Subnet}' is not an IPv4 subnet PodShell can use.", "Write it as a CIDR with a prefix from /8 to /30, for example 10.90.0.0/16.");
        }
        else if (taken.Any(t => t.Overlaps(subnet)))
        {
            throw new PodEngineException(ErrorIds.SubnetInUse, ErrorCategory.ResourceExists, spec.Subnet,
                $"Subnet {spec.Subnet} overlaps a route of the node or another network ({taken.First(t => t.Overlaps(subnet))}).",
                "Choose a subnet that overlaps nothing (see: ip route; Get-PodNetwork), or leave -Subnet out to have one picked.");
        }
        if (spec.Gateway is not null && (!IPv4Subnet.TryParse(spec.Gateway + "/32", out var gateway) || !subnet.Overlaps(gateway)))
        {
            throw new PodEngineException(ErrorIds.InvalidGateway, ErrorCategory.InvalidArgument, spec.Gateway,
                $"Gateway '{spec.Gateway}' is not an IPv4 address in {subnet}.", "Name an address of the subnet, or leave -Gateway out (the first address is used).");
        }
        return (bridge, subnet);
    }
}
