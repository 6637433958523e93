using System.Collections.Generic;

namespace PodShell.Manifest.Kubernetes;

/// <summary>spec of a v1 Pod.</summary>
public sealed class PodSpec
{
    public List<KubeContainer>? InitContainers { get; set; }
    public List<KubeContainer>? Containers { get; set; }
    public List<KubeVolume>? Volumes { get; set; }
    /// <summary>Always, OnFailure or Never.</summary>
    public string? RestartPolicy { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
    public bool? ShareProcessNamespace { get; set; }
    public bool? HostNetwork { get; set; }
    public bool? HostPID { get; set; }
    public bool? HostIPC { get; set; }
    public string? Hostname { get; set; }
    public string? Subdomain { get; set; }
    public bool? SetHostnameAsFQDN { get; set; }
    public bool? HostUsers { get; set; }
    public KubePodOs? Os { get; set; }
    public List<KubeHostAlias>? HostAliases { get; set; }
    public string? NodeName { get; set; }
    public string? ServiceAccountName { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public KubeResources? Resources { get; set; }
    public PodSecurityContext? SecurityContext { get; set; }
    public string? DnsPolicy { get; set; }
    public KubeDnsConfig? DnsConfig { get; set; }
}

/// <summary>dnsConfig: merged into the pod's resolv.conf.</summary>
public sealed class KubeDnsConfig
{
    public List<string>? Nameservers { get; set; }
    public List<string>? Searches { get; set; }
    public List<KubeDnsOption>? Options { get; set; }
}

public sealed class KubeDnsOption
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

/// <summary>A pod-level securityContext.</summary>
public sealed class PodSecurityContext
{
    public long? RunAsUser { get; set; }
    public long? RunAsGroup { get; set; }
    public bool? RunAsNonRoot { get; set; }
    public long? FsGroup { get; set; }
    /// <summary>Always or OnRootMismatch.</summary>
    public string? FsGroupChangePolicy { get; set; }
    public List<long>? SupplementalGroups { get; set; }
    /// <summary>Merge (the default) or Strict.</summary>
    public string? SupplementalGroupsPolicy { get; set; }
    public List<KubeSysctl>? Sysctls { get; set; }
    /// <summary>The containers' seccomp profile unless a container sets its own.</summary>
    public KubeSeccompProfile? SeccompProfile { get; set; }
}

/// <summary>spec.os: the operating system the pod needs (linux or windows).</summary>
public sealed class KubePodOs
{
    public string? Name { get; set; }
}

/// <summary>An /etc/hosts entry of the pod (spec.hostAliases).</summary>
public sealed class KubeHostAlias
{
    public string? Ip { get; set; }
    public List<string>? Hostnames { get; set; }
}

public sealed class KubeSysctl
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

/// <summary>requests and limits (cpu, memory, ...), as quantities.</summary>
public sealed class KubeResources
{
    public Dictionary<string, string>? Requests { get; set; }
    public Dictionary<string, string>? Limits { get; set; }
}

/// <summary>A volume: emptyDir and hostPath are what a single node can give.</summary>
public sealed class KubeVolume
{
    public string? Name { get; set; }
    public EmptyDirSource? EmptyDir { get; set; }
    public HostPathSource? HostPath { get; set; }
}

public sealed class EmptyDirSource
{
    /// <summary>"" (the node's disk) or "Memory" (a tmpfs).</summary>
    public string? Medium { get; set; }
    public string? SizeLimit { get; set; }
}

public sealed class HostPathSource
{
    public string? Path { get; set; }
    /// <summary>"", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.</summary>
    public string? Type { get; set; }
}
