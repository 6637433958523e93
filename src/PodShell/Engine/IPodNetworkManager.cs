using System.Collections.Generic;
using System.Threading;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>What New-PodNetwork asks an engine for.</summary>
public sealed class PodNetworkCreateRequest
{
    public string Name { get; set; } = "";
    /// <summary>An IPv4 CIDR; null lets the engine pick a free private subnet.</summary>
    public string? Subnet { get; set; }
    public string? Gateway { get; set; }
    /// <summary>The node-side bridge device; null lets the engine name it.</summary>
    public string? Bridge { get; set; }
    /// <summary>Masquerade pod traffic leaving the subnet.</summary>
    public bool Masquerade { get; set; } = true;
    /// <summary>Where the engine keeps network definitions, for engines that keep them in files (the native engine's CNI folder); null: the engine's default.</summary>
    public string? ConfigDirectory { get; set; }
}

/// <summary>
/// The networks an engine attaches pods to (CNI networks for the native engine, Docker networks for Docker).
/// Separate from IPodEngine: pods name a network in PodCreateRequest.Network and report theirs in Pod.Network/IP/IPs.
/// </summary>
public interface IPodNetworkManager
{
    PodEngineKind Kind { get; }

    /// <summary>The networks the engine knows, the default one marked. Pods are not filled in (Get-PodNetwork does that from the pods).</summary>
    IEnumerable<PodNetwork> GetNetworks(string? configDirectory);

    /// <summary>The network pods join when they name none; made now when the engine has none yet (<paramref name="created"/> is then true).</summary>
    PodNetwork EnsureDefaultNetwork(string? configDirectory, out bool created);

    PodNetwork CreateNetwork(PodNetworkCreateRequest request, CancellationToken cancel);

    /// <summary>Removes the network's definition and what the engine made for it on the node (bridge, address pool); its pods must be gone.</summary>
    void RemoveNetwork(string name, string? configDirectory, CancellationToken cancel);
}
