using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Network;

/// <summary>
/// A native pod's side of CNI: picks the network before anything is made (so a missing plugin fails early),
/// runs ADD on the pinned network namespace, caches config and result with the pod, and runs CHECK and DEL
/// from that cache. DEL is safe to repeat and works when the namespace is already gone.
/// </summary>
public sealed class CniPodNetwork
{
    public const string IfName = "eth0";
    private readonly IReadOnlyList<string>? _pluginDirectories;
    private readonly ICniPluginExecutor? _executor;

    /// <param name="pluginDirectories">Where plugins are searched; null: CNI_PATH and the usual folders, read at each call (CNI_PATH may change in a session).</param>
    public CniPodNetwork(IReadOnlyList<string>? pluginDirectories = null, ICniPluginExecutor? executor = null)
    {
        _pluginDirectories = pluginDirectories;
        _executor = executor;
    }

    private CniPluginLocator Plugins(IEnumerable<string>? recorded = null) =>
        new((recorded ?? Enumerable.Empty<string>()).Concat(new CniPluginLocator(_pluginDirectories).Directories));

    /// <summary>The network a pod will join, with every plugin it needs found.</summary>
    public sealed record Plan(CniConfigList Config, IReadOnlyList<PodPortMapping> Ports, bool WroteDefaultNetwork, string ConfigDirectory);

    public sealed record PodIdentity(string Name, string Uid, string SandboxId);

    /// <param name="network">A network name, or null for the default network (written when the folder has none).</param>
    public Plan Resolve(string? network, string? configDirectory, IReadOnlyList<PodPortMapping> ports)
    {
        var folder = new CniConfigDirectory(configDirectory);
        var created = false;
        var config = network is null
            ? CniNetworkManager.Instance.EnsureDefault(folder, out created)
            : folder.Find(network) ?? throw CniNetworkManager.NotFound(network, folder);
        Plugins().RequireAll(config);
        if (ports.Count > 0 && !config.Plugins.Any(p => p["capabilities"]?["portMappings"]?.GetValue<bool>() == true))
        {
            throw new PodEngineException(ErrorIds.PortMappingUnsupported, ErrorCategory.InvalidArgument, config.Name,
                $"Network '{config.Name}' has no plugin that maps host ports (none declares the portMappings capability).",
                "Add {\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}} to its plugins, or choose another network.");
        }
        return new Plan(config, ports, created, folder.Path);
    }

    public CniResult Attach(Plan plan, string podDirectory, PodIdentity pod, string netnsPath, CancellationToken cancel)
    {
        var attachment = NewAttachment(plan, pod, netnsPath);
        // Written first: a create killed during ADD leaves what DEL needs to release the address.
        attachment.Write(podDirectory);
        CniResult result;
        try
        {
            result = new CniChain(Plugins(), _executor).Add(plan.Config, attachment.Invocation(netnsPath), attachment.PortMappings, cancel);
        }
        catch (CniPluginException e)
        {
            throw new PodEngineException(ErrorIds.NetworkSetupFailed, ErrorCategory.InvalidOperation, pod.Name,
                $"Pod '{pod.Name}' could not join network '{plan.Config.Name}': {e.Message}",
                "Check the network's configuration (Get-PodNetwork shows where it is), or choose another network with -Network.", e);
        }
        attachment.ResultText = result.Json.ToJsonString();
        attachment.Write(podDirectory);
        return result;
    }

    /// <summary>
    /// A network cache that cannot be read (garbage, wrong types) is written again from the pod's own record (network,
    /// its current config, the sandbox id ADD used), without ADD's result: DEL then still releases the address.
    /// </summary>
    public void RestoreUnreadableAttachment(Plan plan, string podDirectory, PodIdentity pod, string netnsPath)
    {
        if (!System.IO.File.Exists(CniAttachment.PathIn(podDirectory)) || CniAttachment.Read(podDirectory) is not null) return;
        NewAttachment(plan, pod, netnsPath).Write(podDirectory);
    }

    private CniAttachment NewAttachment(Plan plan, PodIdentity pod, string netnsPath) =>
        new()
        {
            Network = plan.Config.Name,
            ConfigText = plan.Config.Text,
            ConfigPath = plan.Config.Path,
            ContainerId = pod.SandboxId,
            IfName = IfName,
            NetnsPath = netnsPath,
            Args = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={pod.Name};K8S_POD_INFRA_CONTAINER_ID={pod.SandboxId};K8S_POD_UID={pod.Uid}",
            PortMappings = plan.Ports.ToList(),
            PluginDirectories = Plugins().Directories.ToList(),
            CreatedAt = DateTimeOffset.UtcNow,
        };

    /// <summary>CHECK against the cached result; false when the network's version or config does not support it.</summary>
    public bool Check(string podDirectory, string netnsPath, CancellationToken cancel)
    {
        var attachment = CniAttachment.Read(podDirectory);
        if (attachment is null) return false;
        var config = attachment.Config();
        new CniChain(Plugins(attachment.PluginDirectories), _executor).Check(config, attachment.Invocation(NetnsArgument(netnsPath)), attachment.PortMappings, attachment.Result(), cancel);
        return !config.DisableCheck && CniVersion.ParseOrOldest(config.CniVersion) >= CniVersion.V040;
    }

    /// <summary>DEL with the cached config and result, then the cache goes. No cache: nothing to do.</summary>
    public void Detach(string podDirectory, string podName, string netnsPath, CancellationToken cancel)
    {
        var attachment = CniAttachment.Read(podDirectory);
        if (attachment is null) return;
        try
        {
            // The folders ADD found the plugins in come first: DEL runs the same binaries.
            new CniChain(Plugins(attachment.PluginDirectories), _executor).Delete(attachment.Config(), attachment.Invocation(NetnsArgument(netnsPath)), attachment.PortMappings, attachment.Result(), cancel);
        }
        catch (Exception e) when (e is CniPluginException or PodEngineException)
        {
            throw new PodEngineException(ErrorIds.NetworkTeardownFailed, ErrorCategory.InvalidOperation, podName,
                $"The network of pod '{podName}' ('{attachment.Network}') could not be torn down: {e.Message}",
                $"Fix the cause and run Remove-Pod {podName} -Force again: the pod keeps its network record until DEL succeeds.", e);
        }
        CniAttachment.Delete(podDirectory);
    }

    /// <summary>CNI_NETNS for DEL and CHECK: the pin while it still holds a namespace, else empty (plugins then release what is outside it).</summary>
    private static string NetnsArgument(string netnsPath) => NetnsPin.IsNamespace(netnsPath) ? netnsPath : "";
}
