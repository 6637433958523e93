using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Native.Status;
using PodShell.Network;
using PodShell.State;

namespace PodShell.Native;

/// <summary>
/// Pod networking of the native engine: the sandbox's pinned network namespace joins a CNI network after
/// the sandbox starts (ADD) and leaves it before the pin is released (DEL), on stop, remove and rollback.
/// </summary>
public sealed partial class NativeEngine : IPodNetworkCheck
{
    private readonly CniPodNetwork _network = new();

    /// <summary>
    /// Decides the pod's network before anything is made: a missing network or plugin fails here.
    /// Null for host networking and for None.
    /// </summary>
    private CniPodNetwork.Plan? PlanNetwork(PodCreateRequest request)
    {
        var wanted = request.Network;
        var host = request.HostNetwork || string.Equals(wanted, "Host", StringComparison.OrdinalIgnoreCase);
        var none = string.Equals(wanted, "None", StringComparison.OrdinalIgnoreCase);
        if (request.HostNetwork && wanted is not null && !string.Equals(wanted, "Host", StringComparison.OrdinalIgnoreCase))
        {
            throw new PodEngineException(ErrorIds.NetworkConflict, ErrorCategory.InvalidArgument, request.Name,
                $"-HostNetwork puts the pod on the node's network, which contradicts -Network {wanted}.", "Give one of them.");
        }
        if ((host || none) && request.Ports.Count > 0)
        {
            throw new PodEngineException(ErrorIds.PortMappingUnsupported, ErrorCategory.InvalidArgument, request.Name,
                host ? "A pod on the node's network listens on the node's ports itself: -Port maps nothing there."
                     : "A pod without a network (-Network None) cannot be reached through a host port.",
                "Leave -Port out, or put the pod on a network.");
        }
        // -Network Host is -HostNetwork spelled the other way.
        if (host) request.HostNetwork = true;
        if (host || none) return null;
        return _network.Resolve(wanted, request.NetworkConfigDirectory, request.Ports);
    }

    private static void RecordNetworkChoice(PodRecord record, PodCreateRequest request, CniPodNetwork.Plan? plan)
    {
        record.Network = plan?.Config.Name ?? (record.Namespaces.Network == NamespaceMode.Node ? PodStatusMapper.NetworkHost : PodStatusMapper.NetworkNone);
        record.NetworkConfigDirectory = plan?.ConfigDirectory;
        record.Ports = request.Ports.ToList();
        record.Dns = request.Dns;
    }

    /// <summary>ADD on the pinned namespace, then the pod's hosts and resolv.conf from the result.</summary>
    private void AttachNetwork(PodRecord record, CniPodNetwork.Plan? plan, CancellationToken cancel)
    {
        var directory = _store.PodDirectory(record.Name);
        record.IPs = new List<string>();
        if (plan is null)
        {
            if (record.Dns is { IsEmpty: false } || record.Network == PodStatusMapper.NetworkNone) WriteResolvConf(directory, null, record);
            return;
        }
        var result = _network.Attach(plan, directory, new CniPodNetwork.PodIdentity(record.Name, record.Uid, record.Id),
            Sandbox.NetnsPath(record.Name), cancel);
        record.IPs = result.SandboxIPs(CniPodNetwork.IfName).Select(ip => ip.IP).Distinct().ToList();
        WriteResolvConf(directory, result.Dns, record);
        if (PodAddresses.Primary(record.IPs) is { } ip) Sandbox.WriteHosts(record, ip);
    }

    /// <summary>Re-joins the recorded network (its current config) after the sandbox was made anew.</summary>
    private void ReattachNetwork(PodRecord record, CancellationToken cancel)
    {
        if (record.Network is null or PodStatusMapper.NetworkNone or PodStatusMapper.NetworkHost) return;
        AttachNetwork(record, _network.Resolve(record.Network, record.NetworkConfigDirectory, record.Ports), cancel);
    }

    /// <summary>DEL from the cache (idempotent; a namespace that is already gone is fine).</summary>
    private void DetachNetwork(PodRecord record, CancellationToken cancel)
    {
        var directory = _store.PodDirectory(record.Name);
        if (record.Network is not (null or PodStatusMapper.NetworkNone or PodStatusMapper.NetworkHost))
        {
            try
            {
                _network.RestoreUnreadableAttachment(_network.Resolve(record.Network, record.NetworkConfigDirectory, record.Ports), directory,
                    new CniPodNetwork.PodIdentity(record.Name, record.Uid, record.Id), Sandbox.NetnsPath(record.Name));
            }
            catch (PodEngineException)
            {
                // The network or its plugins are gone since: nothing to run DEL with.
            }
        }
        _network.Detach(directory, record.Name, Sandbox.NetnsPath(record.Name), cancel);
        record.IPs = new List<string>();
    }

    /// <summary>DEL from the network cache in the pod's folder when its pod.json is unreadable (best effort: the addresses go back).</summary>
    private void DetachNetworkOfUnreadablePod(string name, CancellationToken cancel)
    {
        var directory = _store.PodDirectory(name);
        try
        {
            _network.Detach(directory, name, Sandbox.NetnsPath(name), cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing cached, or the plugins failed: the sweep still removes the processes, mounts and cgroups.
        }
    }

    /// <summary>CHECK of a running pod's network against the cached result; false when the network does not support CHECK.</summary>
    public bool CheckPodNetwork(string name, CancellationToken cancel)
    {
        RequireRoot();
        var record = LoadPod(name);
        if (!PauseAlive(record)) throw new PodEngineException(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, name, $"Pod '{name}' is not running.", $"Start it: Start-Pod {name}.");
        var directory = _store.PodDirectory(name);
        try
        {
            return _network.Check(directory, Sandbox.NetnsPath(record.Name), cancel);
        }
        catch (CniPluginException e)
        {
            throw new PodEngineException(ErrorIds.NetworkCheckFailed, ErrorCategory.InvalidResult, name,
                $"The network of pod '{name}' is not as it was set up: {e.Message}", $"Restart the pod's sandbox: Stop-Pod {name}; Start-Pod {name}.", e);
        }
    }

    private static void WriteResolvConf(string directory, CniDns? dns, PodRecord record)
    {
        var node = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        var own = record.Namespaces.Network == NamespaceMode.Pod;
        File.WriteAllText(Path.Combine(directory, "resolv.conf"), ResolvConf.Build(dns, node, record.Dns, own));
    }
}
