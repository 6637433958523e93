using System;
using System.Collections.Generic;

namespace PodShell.Model;

/// <summary>A pod: its sandbox (pause process and shared namespaces), its cgroup and its containers.</summary>
public sealed class Pod
{
    public string Name { get; set; } = "";
    /// <summary>The sandbox id (64 hex digits, like crictl's POD ID).</summary>
    public string Id { get; set; } = "";
    public string Uid { get; set; } = "";
    public PodEngineKind Engine { get; set; }
    public PodState State { get; set; }
    public string Hostname { get; set; } = "";
    public int? PausePid { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Computed from the containers' requests and limits (or the pod-level ones) as Kubernetes does.</summary>
    public QosClass QosClass { get; set; }
    /// <summary>Pod-level requests and limits (Kubernetes' spec.resources) and the pod pids limit; null for none.</summary>
    public ResourceRequirements? Resources { get; set; }
    /// <summary>The pod's cgroup, relative to each hierarchy's root (for example /podshell/burstable/pod&lt;uid&gt;).</summary>
    public string CgroupPath { get; set; } = "";
    public PodNamespaceModes Namespaces { get; set; } = new();
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
    public IDictionary<string, string> Annotations { get; set; } = new Dictionary<string, string>();
    public PodVolume[] Volumes { get; set; } = Array.Empty<PodVolume>();
    /// <summary>The grace period Stop-Pod and Remove-Pod give the pod's containers when not told -Timeout (Kubernetes' terminationGracePeriodSeconds; 30 by default).</summary>
    public long TerminationGracePeriodSeconds { get; set; } = 30;
    public PodContainer[] Containers { get; set; } = Array.Empty<PodContainer>();
    /// <summary>Why the state is Unknown (its state file is missing or unreadable), or null.</summary>
    public string? Message { get; set; }
    /// <summary>What only the pod's engine knows (NativePodDetails: state folder, network namespace pin).</summary>
    public PodEngineDetails? EngineDetails { get; set; }

    /// <summary>The pod's primary address (its first IPv4 one, else its first), as kubectl get pod -o wide shows it.</summary>
    public string? IP { get; set; }
    /// <summary>Every address of the pod on its network.</summary>
    public string[] IPs { get; set; } = Array.Empty<string>();
    /// <summary>The network the pod joined: a network's name, "host" (the node's own) or "none" (only lo).</summary>
    public string? Network { get; set; }
    /// <summary>Host ports forwarded to the pod.</summary>
    public PodPortMapping[] Ports { get; set; } = Array.Empty<PodPortMapping>();

    /// <summary>The pod's FQDN (&lt;hostname&gt;.&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster domain&gt;) when it has a subdomain; its /etc/hosts names it.</summary>
    public string? Fqdn { get; set; }
    /// <summary>Kubernetes' subdomain, or null.</summary>
    public string? Subdomain { get; set; }
    /// <summary>The FQDN is the pod's hostname (Kubernetes' setHostnameAsFQDN).</summary>
    public bool SetHostnameAsFqdn { get; set; }
    /// <summary>Extra names in the pod's /etc/hosts (Kubernetes' hostAliases).</summary>
    public PodHostAlias[] HostAliases { get; set; } = Array.Empty<PodHostAlias>();
    /// <summary>Groups every process of every container gets (Kubernetes' supplementalGroups).</summary>
    public long[] SupplementalGroups { get; set; } = Array.Empty<long>();
    /// <summary>The group that owns the pod's emptyDirs and that every container's processes get (Kubernetes' fsGroup), or null.</summary>
    public long? FsGroup { get; set; }
    /// <summary>Always or OnRootMismatch when the pod has an fsGroup (Kubernetes' fsGroupChangePolicy), else null.</summary>
    public string? FsGroupChangePolicy { get; set; }
    /// <summary>Strict: containers' processes get only their user's gid and the pod's groups, not those the image's /etc/group lists (Kubernetes' supplementalGroupsPolicy); null or Merge: those too.</summary>
    public string? SupplementalGroupsPolicy { get; set; }
    /// <summary>Sysctls set in the pod's namespaces (Kubernetes' securityContext.sysctls).</summary>
    public IDictionary<string, string> Sysctls { get; set; } = new Dictionary<string, string>();

    /// <summary>Lets a Pod bind by property name to the -Pod parameters of the container cmdlets.</summary>
    public string PodName => Name;

    public override string ToString() => Name;
}
