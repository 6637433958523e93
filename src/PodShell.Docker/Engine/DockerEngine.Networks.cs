using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Network;

namespace PodShell.Docker.Engine;

/// <summary>
/// The Docker engine's networks for Get-/New-/Remove-PodNetwork: the daemon's own (docker network ls), the default being
/// its bridge network (or none when the daemon has no bridge); New-PodNetwork makes a bridge network with the native
/// engine's checks (name, subnet, gateway, bridge name; a subnet that overlaps a route of the node is refused).
/// </summary>
public sealed partial class DockerEngine : IPodNetworkManager
{
    private const string BridgeNameOption = "com.docker.network.bridge.name";
    private const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";

    public IEnumerable<PodNetwork> GetNetworks(string? configDirectory)
    {
        if (_endpoint.IsAbsent) return Array.Empty<PodNetwork>();
        RefuseConfigDirectory(configDirectory);
        var networks = ListNetworks(CancellationToken.None);
        var defaultName = networks.Any(n => n.Name == DefaultBridgeNetwork) ? DefaultBridgeNetwork : NetworkNone;
        return networks.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => Describe(n, n.Name == defaultName)).ToList();
    }

    /// <summary>The network a pod joins without -Network; Docker's default networks are the daemon's, so none is ever made here.</summary>
    public PodNetwork EnsureDefaultNetwork(string? configDirectory, out bool created)
    {
        created = false;
        RefuseConfigDirectory(configDirectory);
        var network = TryInspectNetwork(DefaultBridgeNetwork, CancellationToken.None) ?? TryInspectNetwork(NetworkNone, CancellationToken.None);
        return network is null
            ? new PodNetwork { Name = NetworkNone, Engine = PodEngineKind.Docker, Type = "null", Plugins = new[] { "null" }, IsDefault = true }
            : Describe(network, isDefault: true);
    }

    public PodNetwork CreateNetwork(PodNetworkCreateRequest request, CancellationToken cancel)
    {
        RefuseConfigDirectory(request.ConfigDirectory);
        var spec = new BridgeNetworkSpec { Name = request.Name, Subnet = request.Subnet, Gateway = request.Gateway, Bridge = request.Bridge, IPMasq = request.Masquerade };
        var existing = ListNetworks(cancel);
        if (existing.Any(n => n.Name == request.Name))
        {
            throw new PodEngineException(ErrorIds.NetworkExists, ErrorCategory.ResourceExists, request.Name,
                $"A network named '{request.Name}' exists already in the Docker daemon at {_endpoint.Display}.",
                $"Choose another name, or remove it first: Remove-PodNetwork {request.Name} -Engine Docker.");
        }
        // The daemon's networks, and on this node its routes (the bridges of other networks, CNI's included).
        var taken = existing.SelectMany(n => n.IPAM?.Config ?? new List<IPAMConfig>())
            .Select(c => IPv4Subnet.TryParse(c.Subnet ?? "", out var s) ? s : (IPv4Subnet?)null)
            .OfType<IPv4Subnet>()
            .Concat(_endpoint.IsLocal ? NodeRoutes.Read() : Enumerable.Empty<IPv4Subnet>())
            .ToList();
        var (bridge, subnet) = BridgeNetworkTemplate.Validate(spec, taken);
        if (_endpoint.IsLocal && LinkDevice.Exists(bridge))
        {
            throw new PodEngineException(ErrorIds.BridgeNameInUse, ErrorCategory.ResourceExists, bridge,
                $"The node has a device named '{bridge}' already.", "Name another bridge with -Bridge.");
        }
        var parameters = new NetworksCreateParameters
        {
            Name = request.Name,
            Driver = "bridge",
            IPAM = new IPAM
            {
                Driver = "default",
                Config = new List<IPAMConfig> { new() { Subnet = subnet.ToString(), Gateway = request.Gateway! } },
            },
            Options = new Dictionary<string, string>
            {
                [BridgeNameOption] = bridge,
                [MasqueradeOption] = request.Masquerade ? "true" : "false",
            },
        };
        var id = Call(c => c.Networks.CreateNetworkAsync(parameters, cancel), cancel, request.Name).ID;
        return Describe(Call(c => c.Networks.InspectNetworkAsync(id, cancel), cancel, request.Name), isDefault: false);
    }

    public void RemoveNetwork(string name, string? configDirectory, CancellationToken cancel)
    {
        RefuseConfigDirectory(configDirectory);
        var network = TryInspectNetwork(name, cancel) ?? throw new PodEngineException(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, name,
            $"No network named '{name}' exists in the Docker daemon at {_endpoint.Display}.", "List them with Get-PodNetwork -Engine Docker.");
        if (network.Containers is { Count: > 0 } attached)
        {
            throw new PodEngineException(ErrorIds.NetworkInUse, ErrorCategory.ResourceBusy, name,
                $"Network '{name}' has containers on it: {string.Join(", ", attached.Values.Select(e => e.Name))}.",
                "Remove its pods first (Get-PodNetwork shows them), or disconnect the other containers (docker network disconnect).");
        }
        Call(c => c.Networks.DeleteNetworkAsync(network.ID, cancel), cancel, name);
    }

    private IList<NetworkResponse> ListNetworks(CancellationToken cancel) =>
        Call(c => c.Networks.ListNetworksAsync(new NetworksListParameters(), cancel), cancel);

    /// <summary>Docker keeps its networks itself: a CNI folder names nothing of it.</summary>
    private static void RefuseConfigDirectory(string? configDirectory)
    {
        if (configDirectory is null) return;
        throw new PodEngineException(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, configDirectory,
            "-CniConfigDirectory names the native engine's CNI folder; the Docker engine's networks are the daemon's.",
            "Leave -CniConfigDirectory out with -Engine Docker.");
    }

    private static PodNetwork Describe(NetworkResponse network, bool isDefault)
    {
        var configs = network.IPAM?.Config ?? new List<IPAMConfig>();
        string? bridge = null;
        if (network.Driver == "bridge")
        {
            bridge = network.Options is { } options && options.TryGetValue(BridgeNameOption, out var named) && !string.IsNullOrEmpty(named)
                ? named
                : "br-" + network.ID[..Math.Min(12, network.ID.Length)];
        }
        return new PodNetwork
        {
            Name = network.Name,
            Engine = PodEngineKind.Docker,
            Type = network.Driver ?? "",
            Subnets = configs.Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s)).ToArray(),
            Gateways = configs.Select(c => c.Gateway).Where(g => !string.IsNullOrEmpty(g)).ToArray(),
            Bridge = bridge,
            Plugins = new[] { network.Driver ?? "" },
            IsDefault = isDefault,
        };
    }
}
