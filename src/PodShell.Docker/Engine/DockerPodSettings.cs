using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>
/// A Docker pod's names, groups and sysctls: sysctls go on the pause container (HostConfig.Sysctls, in the namespaces its
/// containers join), the hosts entries too (containers that join its network share its /etc/hosts, and Docker copies its
/// hostname and domain name to them), the groups on every container (GroupAdd). Labels keep what Docker has no field for.
/// </summary>
internal static class DockerPodSettings
{
    /// <summary>runc always adds the groups the image's /etc/group lists for a named user: Strict cannot be had through Docker.</summary>
    public static void CheckSupported(PodSandboxPlan plan, string pod)
    {
        if (plan.SupplementalGroupsPolicy != "Strict") return;
        throw new PodEngineException(ErrorIds.ResourceNotSupported, System.Management.Automation.ErrorCategory.NotImplemented, pod,
            $"Pod '{pod}' asks for supplementalGroupsPolicy Strict, and Docker (runc) always adds the groups the image's /etc/group lists for the container's user.",
            "Use the native engine, or the policy Merge.");
    }

    public static void AddLabels(IDictionary<string, string> labels, PodSandboxPlan plan)
    {
        if (plan.Subdomain is { } subdomain) labels[DockerLabels.Subdomain] = subdomain;
        if (plan.Fqdn is { } fqdn) labels[DockerLabels.Fqdn] = fqdn;
        if (plan.SetHostnameAsFqdn) labels[DockerLabels.SetHostnameAsFqdn] = "true";
        if (plan.HostAliases.Count > 0) labels[DockerLabels.HostAliases] = DockerVolumes.Describe(plan.HostAliases);
        if (plan.SupplementalGroups.Count > 0) labels[DockerLabels.SupplementalGroups] = string.Join(",", plan.SupplementalGroups.Select(Text));
        if (plan.FsGroup is { } fsGroup)
        {
            labels[DockerLabels.FsGroup] = Text(fsGroup);
            labels[DockerLabels.FsGroupChangePolicy] = plan.FsGroupChangePolicy ?? "Always";
        }
    }

    /// <summary>
    /// On a Docker network the daemon writes "&lt;ip&gt; &lt;hostname&gt;.&lt;domain&gt; &lt;hostname&gt;" itself from the domain name. Without one
    /// (network none) it writes no line for the pod at all: the pod's names go on 127.0.1.1, as the native engine has them.
    /// </summary>
    public static string? Domainname(PodSandboxPlan plan, string networkMode) =>
        networkMode is "none" or "host" || plan.Fqdn is null || plan.SetHostnameAsFqdn ? null : plan.Fqdn[(plan.Fqdn.IndexOf('.') + 1)..];

    public static List<string> ExtraHosts(PodSandboxPlan plan, string networkMode)
    {
        var hosts = new List<string>();
        // One entry naming both, so the FQDN is the canonical name (hostname -f).
        if (networkMode == "none") hosts.Add(PodHostnames.PodLine("", plan.KernelHostname, plan.Fqdn).Trim().Replace('\t', ' ') + ":" + PodHostnames.NoAddress);
        foreach (var alias in plan.HostAliases)
        {
            foreach (var name in alias.Hostnames) hosts.Add($"{name}:{alias.IP}");
        }
        return hosts;
    }

    /// <summary>The groups a container of the pod gets besides its user's own (supplementalGroups, then the fsGroup).</summary>
    public static List<string> GroupAdd(IDictionary<string, string>? sandboxLabels)
    {
        var (groups, fsGroup) = Groups(sandboxLabels);
        return PodGroupRules.ForContainers(groups, fsGroup).Select(Text).ToList();
    }

    /// <summary>The pod's names, groups and sysctls, as the sandbox holds them.</summary>
    public static void Fill(Pod pod, IDictionary<string, string> labels, HostConfig? host)
    {
        var (groups, fsGroup) = Groups(labels);
        pod.SupplementalGroups = groups.ToArray();
        pod.FsGroup = fsGroup;
        pod.FsGroupChangePolicy = fsGroup is null ? null : labels.TryGetValue(DockerLabels.FsGroupChangePolicy, out var policy) ? policy : "Always";
        pod.Sysctls = new Dictionary<string, string>(host?.Sysctls ?? new Dictionary<string, string>());
        pod.Subdomain = labels.TryGetValue(DockerLabels.Subdomain, out var subdomain) ? subdomain : null;
        pod.Fqdn = labels.TryGetValue(DockerLabels.Fqdn, out var fqdn) ? fqdn : null;
        pod.SetHostnameAsFqdn = labels.TryGetValue(DockerLabels.SetHostnameAsFqdn, out var asFqdn) && asFqdn == "true";
        pod.HostAliases = labels.TryGetValue(DockerLabels.HostAliases, out var aliases) ? DockerVolumes.ReadAliases(aliases).ToArray() : Array.Empty<PodHostAlias>();
    }

    private static (List<long> Groups, long? FsGroup) Groups(IDictionary<string, string>? labels)
    {
        var groups = new List<long>();
        long? fsGroup = null;
        if (labels is null) return (groups, fsGroup);
        if (labels.TryGetValue(DockerLabels.SupplementalGroups, out var list))
        {
            foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
                if (long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) groups.Add(gid);
        }
        if (labels.TryGetValue(DockerLabels.FsGroup, out var fs) && long.TryParse(fs, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) fsGroup = parsed;
        return (groups, fsGroup);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
