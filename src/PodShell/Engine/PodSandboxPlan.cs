using System;
using System.Collections.Generic;
using System.Linq;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// What a sandbox gets besides its namespaces, checked for every engine before anything is made: its names (subdomain,
/// FQDN, hostAliases), the groups its containers' processes get, and the sysctls of its namespaces.
/// </summary>
public sealed class PodSandboxPlan
{
    /// <summary>What `hostname` says inside the pod: the FQDN with setHostnameAsFQDN, else the hostname.</summary>
    public string KernelHostname { get; private init; } = "";
    public string? Subdomain { get; private init; }
    public string? Fqdn { get; private init; }
    public bool SetHostnameAsFqdn { get; private init; }
    public List<PodHostAlias> HostAliases { get; private init; } = new();
    public List<long> SupplementalGroups { get; private init; } = new();
    public long? FsGroup { get; private init; }
    public string? FsGroupChangePolicy { get; private init; }
    /// <summary>Merge or Strict as given; null: Merge.</summary>
    public string? SupplementalGroupsPolicy { get; private init; }
    /// <summary>Canonical (dotted) names.</summary>
    public Dictionary<string, string> Sysctls { get; private init; } = new();

    /// <summary>The groups every container's processes get besides their user's own.</summary>
    public List<long> ContainerGroups => PodGroupRules.ForContainers(SupplementalGroups, FsGroup);

    public static PodSandboxPlan Plan(PodCreateRequest request, string hostname)
    {
        var hostNetwork = request.HostNetwork || string.Equals(request.Network, "Host", StringComparison.OrdinalIgnoreCase);
        PodGroupRules.Validate(request.SupplementalGroups, request.FsGroup, request.FsGroupChangePolicy, request.Name);
        PodGroupRules.ValidateGroupsPolicy(request.SupplementalGroupsPolicy, request.Name);
        var sysctls = SysctlRules.Validate(request.Sysctls, ownNetwork: !hostNetwork, ownIpc: !request.HostIpc, request.Name);
        var aliases = PodHostnames.ValidateAliases(request.HostAliases, request.Name);
        // kubelet gives a pod on the node's network the node's name: a subdomain names nothing there.
        var fqdn = hostNetwork ? null : PodHostnames.Fqdn(hostname, request.Subdomain, PodHostnames.NamespaceOf(request.Labels), request.SetHostnameAsFqdn, request.Name);
        return new PodSandboxPlan
        {
            KernelHostname = request.SetHostnameAsFqdn && fqdn is not null ? fqdn : hostname,
            Subdomain = request.Subdomain,
            Fqdn = fqdn,
            SetHostnameAsFqdn = request.SetHostnameAsFqdn && fqdn is not null,
            HostAliases = aliases,
            SupplementalGroups = request.SupplementalGroups.ToList(),
            FsGroup = request.FsGroup,
            FsGroupChangePolicy = request.FsGroup is null ? null : request.FsGroupChangePolicy ?? "Always",
            SupplementalGroupsPolicy = request.SupplementalGroupsPolicy,
            Sysctls = sysctls,
        };
    }
}
