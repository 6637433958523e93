using System;
using System.Collections.Generic;
using System.Globalization;
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
/// A Docker pod's network: only the pause container joins a Docker network (as docker run --network does) and
/// publishes the host ports (as cri-dockerd does); the pod's containers join its namespace (container:&lt;pause&gt;),
/// so the pod has one address. The Pod's IP, IPs, Network and Ports are read back from the daemon.
/// </summary>
public sealed partial class DockerEngine : IPodNetworkCheck
{
    /// <summary>The name of the network dockerd makes on its default bridge (docker0), unless it runs with --bridge=none.</summary>
    private const string DefaultBridgeNetwork = "bridge";
    private const string NetworkNone = "none";
    private const string NetworkHost = "host";

    /// <summary>
    /// -Network Host (or -HostNetwork) is the node's network, -Network None only lo, a name a Docker network of the daemon
    /// (docker network ls); no -Network is the daemon's default bridge, or no network when the daemon has none (said through Notice).
    /// The checks and errors are the native engine's. Returns the pause container's network mode, decided before anything is made.
    /// </summary>
    private string ChooseNetwork(PodCreateRequest request, CancellationToken cancel)
    {
        RefuseConfigDirectory(request.NetworkConfigDirectory);
        var wanted = request.Network;
        if (request.HostNetwork && wanted is not null && !Is(wanted, NetworkHost))
        {
            throw new PodEngineException(ErrorIds.NetworkConflict, ErrorCategory.InvalidArgument, request.Name,
                $"-HostNetwork puts the pod on the node's network, which contradicts -Network {wanted}.", "Give one of them.");
        }
        var mode = request.HostNetwork || Is(wanted, NetworkHost) ? NetworkHost : Is(wanted, NetworkNone) ? NetworkNone : null;
        if (mode is null && wanted is not null)
        {
            var network = TryInspectNetwork(wanted, cancel) ?? throw new PodEngineException(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, wanted,
                $"No network named '{wanted}' exists in the Docker daemon at {_endpoint.Display}.",
                "List the daemon's networks with Get-PodNetwork -Engine Docker, create one with New-PodNetwork -Engine Docker, or leave -Network out for the daemon's default bridge.");
            // The daemon's own host and none networks, named by id.
            mode = network.Driver == NetworkHost ? NetworkHost : network.Driver == "null" ? NetworkNone : network.Name;
        }
        if (mode is NetworkHost or NetworkNone && request.Ports.Count > 0)
        {
            throw new PodEngineException(ErrorIds.PortMappingUnsupported, ErrorCategory.InvalidArgument, request.Name,
                mode == NetworkHost ? "A pod on the node's network listens on the node's ports itself: -Port maps nothing there."
                    : "A pod without a network (-Network None) cannot be reached through a host port.",
                "Leave -Port out, or put the pod on a network.");
        }
        if (mode is not null) return mode;
        if (TryInspectNetwork(DefaultBridgeNetwork, cancel) is { } bridge)
        {
            request.Notice?.Invoke($"Pod '{request.Name}' joins the Docker daemon's default bridge network '{bridge.Name}' ({Subnets(bridge)}); -Network names another.");
            return bridge.Name;
        }
        if (request.Ports.Count > 0)
        {
            throw new PodEngineException(ErrorIds.PortMappingUnsupported, ErrorCategory.InvalidArgument, request.Name,
                $"The Docker daemon at {_endpoint.Display} has no default bridge network (it runs with --bridge=none), so there is no network to publish -Port on.",
                "Create a Docker network (New-PodNetwork -Engine Docker -Name <name>, or docker network create) and name it with -Network <name>.");
        }
        request.Notice?.Invoke($"The Docker daemon at {_endpoint.Display} has no default bridge network (it runs with --bridge=none): pod '{request.Name}' gets no network but lo. " +
            "Create a Docker network (New-PodNetwork -Engine Docker -Name <name>, or docker network create) and name it with -Network <name>.");
        return NetworkNone;
    }

    private static bool Is(string? name, string wanted) => string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase);

    private NetworkResponse? TryInspectNetwork(string name, CancellationToken cancel)
    {
        try
        {
            var network = Call(c => c.Networks.InspectNetworkAsync(name, cancel), cancel, name);
            // Inspect also matches an id prefix: only a whole name or a whole id names a network (no Remove-PodNetwork a).
            return network.Name == name || network.ID == name ? network : null;
        }
        catch (PodEngineException e) when (e.InnerException is DockerNetworkNotFoundException or DockerApiException { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            return null;
        }
    }

    private static string Subnets(NetworkResponse network)
    {
        var subnets = network.IPAM?.Config?.Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s)).ToList() ?? new List<string>();
        return subnets.Count == 0 ? "no subnet" : string.Join(", ", subnets);
    }

    /// <summary>-Port as docker run -p puts it on the pause container: an exposed port and its host bindings, keyed "80/tcp".</summary>
    private static (IDictionary<string, EmptyStruct>? Exposed, IDictionary<string, IList<PortBinding>>? Bindings) PublishedPorts(IReadOnlyList<PodPortMapping> ports)
    {
        if (ports.Count == 0) return (null, null);
        var exposed = new Dictionary<string, EmptyStruct>(StringComparer.Ordinal);
        var bindings = new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            var key = port.ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + port.Protocol.ToString().ToLowerInvariant();
            exposed[key] = default;
            if (!bindings.TryGetValue(key, out var list)) bindings[key] = list = new List<PortBinding>();
            list.Add(new PortBinding { HostIP = port.HostIP, HostPort = port.HostPort.ToString(CultureInfo.InvariantCulture) });
        }
        return (exposed, bindings);
    }

    /// <summary>The host ports the sandbox publishes, from its HostConfig.PortBindings (what was asked: a host address only when one was given).</summary>
    private static PodPortMapping[] ReadPorts(HostConfig? host)
    {
        var result = new List<PodPortMapping>();
        foreach (var (key, bindings) in host?.PortBindings ?? new Dictionary<string, IList<PortBinding>>())
        {
            var slash = key.IndexOf('/');
            var portText = slash < 0 ? key : key[..slash];
            var protocolText = slash < 0 ? "tcp" : key[(slash + 1)..];
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var containerPort)) continue;
            if (!Enum.TryParse<PortProtocol>(protocolText, ignoreCase: true, out var protocol)) continue;
            foreach (var binding in bindings ?? Array.Empty<PortBinding>())
            {
                // A binding without a host port (docker run -p 80) gets a random one: not a hostPort, not shown.
                if (!int.TryParse(binding.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort) || hostPort == 0) continue;
                result.Add(new PodPortMapping { HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol, HostIP = binding.HostIP ?? "" });
            }
        }
        return result.OrderBy(p => p.ContainerPort).ThenBy(p => p.Protocol).ThenBy(p => p.HostPort).ThenBy(p => p.HostIP, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Network, IP, IPs and Ports of the Pod from the pause container's inspect; no addresses while it is not running.</summary>
    private void FillNetwork(Pod pod, ContainerInspectResponse sandbox, bool running)
    {
        var mode = sandbox.HostConfig?.NetworkMode ?? "";
        var networks = sandbox.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>();
        pod.Network = mode switch
        {
            NetworkHost or NetworkNone => mode,
            "default" => DefaultBridgeNetwork,
            _ => networks.Keys.OrderBy(k => k, StringComparer.Ordinal).FirstOrDefault() ?? mode,
        };
        pod.Ports = ReadPorts(sandbox.HostConfig);
        var ips = new List<string>();
        if (running && mode == NetworkHost)
        {
            // The node's own addresses, as the native engine reports them; a remote daemon's node is not this one.
            if (_endpoint.IsLocal) ips.AddRange(NodeAddresses.Primary());
        }
        else if (running)
        {
            foreach (var endpoint in networks.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Value))
            {
                if (!string.IsNullOrEmpty(endpoint?.IPAddress)) ips.Add(endpoint.IPAddress);
                if (!string.IsNullOrEmpty(endpoint?.GlobalIPv6Address)) ips.Add(endpoint.GlobalIPv6Address);
            }
        }
        pod.IPs = ips.Distinct(StringComparer.Ordinal).ToArray();
        pod.IP = PodAddresses.Primary(pod.IPs);
    }

    /// <summary>
    /// Test-PodNetwork: every network the daemon says the pause container is on still lists it, and each address the daemon
    /// gave it is on an interface of the pod's network namespace (read from the kernel through the pause's /proc, on this node).
    /// False when there is nothing to check (the node's network, or none).
    /// </summary>
    public bool CheckPodNetwork(string name, CancellationToken cancel)
    {
        var group = PodGroup(name, cancel) ?? throw PodEngineException.PodNotFound(name);
        var sandbox = Inspect(Sandbox(group)!.ID, cancel);
        if (sandbox.State?.Running != true)
        {
            throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, name, $"Pod '{name}' is not running.", $"Start it: Start-Pod {name}.");
        }
        var mode = sandbox.HostConfig?.NetworkMode ?? "";
        var networks = sandbox.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>();
        if (mode is NetworkHost or NetworkNone || networks.Count == 0) return false;
        var local = _endpoint.IsLocal && sandbox.State.Pid > 0 ? Linux.NetnsAddresses.Of((int)sandbox.State.Pid) : null;
        foreach (var (networkName, endpoint) in networks)
        {
            var network = TryInspectNetwork(endpoint.NetworkID, cancel);
            if (network?.Containers is null || !network.Containers.ContainsKey(sandbox.ID))
            {
                throw CheckFailed(name, $"the daemon no longer lists it on network '{networkName}'");
            }
            foreach (var ip in new[] { endpoint.IPAddress, endpoint.GlobalIPv6Address }.Where(a => !string.IsNullOrEmpty(a)))
            {
                if (local is not null && !local.Contains(ip, StringComparer.Ordinal))
                {
                    throw CheckFailed(name, $"its address {ip} on network '{networkName}' is on no interface of its network namespace (it has {(local.Count == 0 ? "none" : string.Join(", ", local))})");
                }
            }
        }
        return true;
    }

    private static PodEngineException CheckFailed(string pod, string what) => new(
        ErrorIds.NetworkCheckFailed, ErrorCategory.InvalidResult, pod,
        $"The network of pod '{pod}' is not as it was set up: {what}.", $"Restart the pod's sandbox: Stop-Pod {pod}; Start-Pod {pod}.");

    /// <summary>Starts the sandbox; a host port that cannot be bound is the network's failure, said as the native engine says it.</summary>
    private void StartSandbox(string pod, string id, bool publishes, CancellationToken cancel)
    {
        try
        {
            Call(c => c.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancel), cancel, pod);
        }
        catch (PodEngineException e) when (publishes && e.InnerException is DockerApiException api && IsPortInUse(DaemonMessage(api)))
        {
            throw new PodEngineException(ErrorIds.NetworkSetupFailed, ErrorCategory.ResourceUnavailable, pod,
                $"Pod '{pod}' could not publish its host ports: {DaemonMessage(api)}",
                "Choose a host port nothing listens on (ss -ltnu shows them), or leave -Port out.", api);
        }
    }

    private static bool IsPortInUse(string message) =>
        message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("cannot assign requested address", StringComparison.OrdinalIgnoreCase);
}
