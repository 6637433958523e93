using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Network;

/// <summary>The native engine's networks: CNI config lists in a folder, PodShell's own written from a template.</summary>
public sealed class CniNetworkManager : IPodNetworkManager
{
    public static readonly CniNetworkManager Instance = new();
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public PodEngineKind Kind => PodEngineKind.Native;

    public IEnumerable<PodNetwork> GetNetworks(string? configDirectory)
    {
        var folder = new CniConfigDirectory(configDirectory);
        var lists = folder.LoadAll();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lists.Count; i++)
        {
            // A later file with a name already seen is shadowed, as for a lookup by name.
            if (seen.Add(lists[i].Name)) yield return CniNetworkDescription.Describe(lists[i], isDefault: i == 0);
        }
    }

    public PodNetwork EnsureDefaultNetwork(string? configDirectory, out bool created) =>
        CniNetworkDescription.Describe(EnsureDefault(new CniConfigDirectory(configDirectory), out created), isDefault: true);

    public PodNetwork CreateNetwork(PodNetworkCreateRequest request, CancellationToken cancel)
    {
        var folder = new CniConfigDirectory(request.ConfigDirectory);
        using (LockFolder(folder))
        {
            var list = WriteBridgeNetwork(folder, new BridgeNetworkSpec
            {
                Name = request.Name,
                Subnet = request.Subnet,
                Gateway = request.Gateway,
                Bridge = request.Bridge,
                IPMasq = request.Masquerade,
            });
            return CniNetworkDescription.Describe(list, isDefault: folder.First()?.Name == list.Name);
        }
    }

    /// <summary>The default network: the folder's first; when it has none, PodShell's own is written (created is then true).</summary>
    public CniConfigList EnsureDefault(CniConfigDirectory folder, out bool created)
    {
        created = false;
        var invalid = new List<PodEngineException>();
        if (folder.First(invalid) is { } first) return first;
        if (invalid.Count > 0) throw invalid[0];
        using (LockFolder(folder))
        {
            // Another session may have written it while this one waited for the lock.
            if (folder.First() is { } written) return written;
            created = true;
            return WriteBridgeNetwork(folder, new BridgeNetworkSpec { Name = BridgeNetworkTemplate.DefaultNetworkName });
        }
    }

    private static CniConfigList WriteBridgeNetwork(CniConfigDirectory folder, BridgeNetworkSpec spec)
    {
        BridgeNetworkTemplate.ValidateName(spec.Name);
        if (folder.Find(spec.Name) is { } existing)
        {
            throw new PodEngineException(ErrorIds.NetworkExists, ErrorCategory.ResourceExists, spec.Name,
                $"A network named '{spec.Name}' exists already ({existing.Path}).", $"Choose another name, or remove it first: Remove-PodNetwork {spec.Name}.");
        }
        var bridge = spec.Bridge ?? BridgeNetworkTemplate.BridgeNameFor(spec.Name);
        if (LinkDevice.Exists(bridge) && !LinkDevice.IsBridge(bridge))
        {
            throw new PodEngineException(ErrorIds.BridgeNameInUse, ErrorCategory.ResourceExists, bridge,
                $"The node has a device named '{bridge}' that is not a bridge.", "Name another bridge with -Bridge.");
        }
        var text = BridgeNetworkTemplate.Render(spec, TakenSubnets(folder, bridge).ToList());
        Directory.CreateDirectory(folder.Path);
        var path = Path.Combine(folder.Path, BridgeNetworkTemplate.FileName(spec.Name));
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: false);
        return CniConfigList.Load(path);
    }

    /// <summary>The node's routes and the subnets of every network of this folder and of /etc/cni/net.d (a bridge PodShell reuses keeps its own).</summary>
    private static IEnumerable<IPv4Subnet> TakenSubnets(CniConfigDirectory folder, string bridge)
    {
        foreach (var route in NodeRoutes.Read()) yield return route;
        var folders = new[] { folder.Path, CniConfigDirectory.DefaultPath }.Distinct(StringComparer.Ordinal);
        foreach (var path in folders)
        {
            foreach (var list in new CniConfigDirectory(path).LoadAll())
            {
                foreach (var (subnet, _) in CniNetworkDescription.Ranges(list))
                {
                    if (IPv4Subnet.TryParse(subnet, out var s)) yield return s;
                }
            }
        }
    }

    public void RemoveNetwork(string name, string? configDirectory, CancellationToken cancel)
    {
        var folder = new CniConfigDirectory(configDirectory);
        using (LockFolder(folder))
        {
            var list = folder.Find(name) ?? throw NotFound(name, folder);
            File.Delete(list.Path!);
            if (!CniNetworkDescription.IsManaged(list)) return;
            // What PodShell's own network made on the node: its bridge (once no veth is on it) and host-local's folder.
            if (CniNetworkDescription.Bridge(list) is { } bridge && LinkDevice.IsBridge(bridge) && LinkDevice.BridgePorts(bridge).Length == 0)
            {
                LinkDevice.Delete(bridge);
            }
            if (CniNetworkDescription.HostLocalDataDirectory(list) is { } data && Directory.Exists(data) && !HasReservations(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>host-local keeps one file per reserved address, plus its lock and last_reserved_ip.* files.</summary>
    internal static bool HasReservations(string dataDirectory) =>
        Directory.EnumerateFiles(dataDirectory).Select(Path.GetFileName).Any(f => f != "lock" && !f!.StartsWith("last_reserved_ip", StringComparison.Ordinal));

    public static PodEngineException NotFound(string name, CniConfigDirectory folder) => new(
        ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, name,
        $"No network named '{name}' is defined in {folder.Path}.",
        "List the networks with Get-PodNetwork, create one with New-PodNetwork, or name the folder with -CniConfigDirectory.");

    /// <summary>Serialises writers of one config folder (two sessions writing the default network at once write it once).</summary>
    private static FileStream LockFolder(CniConfigDirectory folder)
    {
        Directory.CreateDirectory(folder.Path);
        var path = Path.Combine(folder.Path, ".podshell.lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
