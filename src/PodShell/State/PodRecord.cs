using System;
using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.State;

/// <summary>pod.json: what PodShell knows of a pod between sessions.</summary>
public sealed class PodRecord
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    public string Uid { get; set; } = "";
    public PodEngineKind Engine { get; set; }
    public string Hostname { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The class computed from the containers (or pod-level resources); it places the pod's cgroup.</summary>
    public QosClass QosClass { get; set; }
    /// <summary>New-PodSandbox -QosClass: containers that would make the pod another class are refused.</summary>
    public QosClass? AssertedQosClass { get; set; }
    /// <summary>Pod-level requests and limits (Kubernetes' spec.resources) and the pod pids limit.</summary>
    public ResourceRequirements? Resources { get; set; }
    /// <summary>The pod's cgroup relative to each hierarchy root, without a leading slash.</summary>
    public string CgroupPath { get; set; } = "";
    public PodNamespaceModes Namespaces { get; set; } = new();
    public Dictionary<string, string> Labels { get; set; } = new();
    public Dictionary<string, string> Annotations { get; set; } = new();
    public List<PodVolume> Volumes { get; set; } = new();
    public long? TerminationGracePeriodSeconds { get; set; }
    public int PausePid { get; set; }
    public ulong PauseStartTime { get; set; }
    /// <summary>The network joined: a CNI network's name, "host" or "none"; null for pods made before networking.</summary>
    public string? Network { get; set; }
    /// <summary>The CNI config folder the network was found in (Start-Pod re-joins from it).</summary>
    public string? NetworkConfigDirectory { get; set; }
    public List<string> IPs { get; set; } = new();
    public List<PodPortMapping> Ports { get; set; } = new();
    public PodDnsConfig? Dns { get; set; }
    public string? Subdomain { get; set; }
    /// <summary>Computed once at create (the cluster domain may change later).</summary>
    public string? Fqdn { get; set; }
    public bool SetHostnameAsFqdn { get; set; }
    public List<PodHostAlias> HostAliases { get; set; } = new();
    public List<long> SupplementalGroups { get; set; } = new();
    public long? FsGroup { get; set; }
    public string? FsGroupChangePolicy { get; set; }
    public string? SupplementalGroupsPolicy { get; set; }
    /// <summary>Canonical names; written by the sandbox stage into the pod's namespaces at every sandbox start.</summary>
    public Dictionary<string, string> Sysctls { get; set; } = new();
    /// <summary>False while the pod is being made: a crash then leaves a record Remove-Pod -Force can clean.</summary>
    public bool Complete { get; set; }

    /// <summary>The sandbox's pause process by pid and start time (pid 0 before the sandbox started).</summary>
    public Linux.ProcessIdentity PauseProcess() => new(PausePid, PauseStartTime);
}
