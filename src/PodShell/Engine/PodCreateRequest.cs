using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>What New-PodSandbox (and a manifest: then with its containers) asks an engine for.</summary>
public sealed class PodCreateRequest
{
    public string Name { get; set; } = "";
    /// <summary>The pod's uid (a manifest's metadata.uid); null for a new one.</summary>
    public string? Uid { get; set; }
    public string? Hostname { get; set; }
    public bool ShareProcessNamespace { get; set; }
    public bool HostNetwork { get; set; }
    public bool HostPid { get; set; }
    public bool HostIpc { get; set; }
    /// <summary>Null: computed from the containers, as Kubernetes does. Given: an assertion (containers that would make the pod another class are refused).</summary>
    public QosClass? QosClass { get; set; }
    /// <summary>Pod-level requests and limits (Kubernetes' spec.resources) and the pod's pids limit; null for none.</summary>
    public ResourceRequirements? Resources { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new();
    public Dictionary<string, string> Annotations { get; set; } = new();
    /// <summary>The pod's volumes, which its containers mount by name.</summary>
    public List<PodVolume> Volumes { get; set; } = new();
    /// <summary>Stop-Pod's and Remove-Pod's grace period when they are not given -Timeout; null for 30 s.</summary>
    public long? TerminationGracePeriodSeconds { get; set; }
    /// <summary>Containers made (and started) in order right after the sandbox, all or nothing.</summary>
    public List<ContainerCreateRequest> Containers { get; set; } = new();
    /// <summary>The network to join: a name, "None" (own namespace, only lo), "Host" (same as HostNetwork); null: the engine's default network.</summary>
    public string? Network { get; set; }
    /// <summary>Where the engine finds network definitions, for engines that keep them in files (the native engine's CNI folder); null: its default.</summary>
    public string? NetworkConfigDirectory { get; set; }
    public List<PodPortMapping> Ports { get; set; } = new();
    public PodDnsConfig? Dns { get; set; }
    /// <summary>
    /// Where the engine tells the user about a choice it made for them (the network a pod joined when it named none),
    /// for -Verbose; called only on the caller's thread.
    /// </summary>
    public System.Action<string>? Notice { get; set; }
    /// <summary>Groups every process of every container gets (Kubernetes' securityContext.supplementalGroups).</summary>
    public List<long> SupplementalGroups { get; set; } = new();
    /// <summary>Merge (null: the default) also gives the groups the image's /etc/group lists for the user; Strict only the user's gid and the pod's groups.</summary>
    public string? SupplementalGroupsPolicy { get; set; }
    /// <summary>The group that owns the pod's emptyDirs (setgid) and that every container's processes get; null: none.</summary>
    public long? FsGroup { get; set; }
    /// <summary>Always or OnRootMismatch (Kubernetes' fsGroupChangePolicy); null: Always.</summary>
    public string? FsGroupChangePolicy { get; set; }
    /// <summary>Sysctls set in the pod's own namespaces before any container starts (only namespaced ones: <see cref="SysctlRules"/>).</summary>
    public Dictionary<string, string> Sysctls { get; set; } = new();
    /// <summary>Kubernetes' subdomain: the pod's FQDN becomes &lt;hostname&gt;.&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster domain&gt;.</summary>
    public string? Subdomain { get; set; }
    /// <summary>The FQDN is the kernel hostname too (Kubernetes' setHostnameAsFQDN); needs a subdomain.</summary>
    public bool SetHostnameAsFqdn { get; set; }
    /// <summary>Extra /etc/hosts entries (Kubernetes' hostAliases).</summary>
    public List<PodHostAlias> HostAliases { get; set; } = new();
}
