using System.Collections.Generic;

namespace PodShell.Manifest.Kubernetes;

/// <summary>A container of a v1 Pod spec (containers or initContainers).</summary>
public sealed class KubeContainer
{
    public string? Name { get; set; }
    public string? Image { get; set; }
    /// <summary>Always, IfNotPresent or Never.</summary>
    public string? ImagePullPolicy { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
    public string? WorkingDir { get; set; }
    public List<KubeEnvVar>? Env { get; set; }
    public List<KubeContainerPort>? Ports { get; set; }
    public KubeResources? Resources { get; set; }
    public KubeVolumeMount[]? VolumeMounts { get; set; }
    public ContainerSecurityContext? SecurityContext { get; set; }
    /// <summary>Only on init containers: Always makes a native sidecar.</summary>
    public string? RestartPolicy { get; set; }
    public bool? Stdin { get; set; }
    public bool? Tty { get; set; }
}

public sealed class KubeEnvVar
{
    public string? Name { get; set; }
    public string? Value { get; set; }
    public KubeEnvVarSource? ValueFrom { get; set; }
}

public sealed class KubeEnvVarSource
{
    public KubeFieldRef? FieldRef { get; set; }
}

public sealed class KubeFieldRef
{
    public string? ApiVersion { get; set; }
    public string? FieldPath { get; set; }
}

public sealed class KubeContainerPort
{
    public string? Name { get; set; }
    public int? ContainerPort { get; set; }
    public int? HostPort { get; set; }
    public string? HostIP { get; set; }
    public string? Protocol { get; set; }
}

public sealed class KubeVolumeMount
{
    public string? Name { get; set; }
    public string? MountPath { get; set; }
    public bool? ReadOnly { get; set; }
    public string? SubPath { get; set; }
}

public sealed class ContainerSecurityContext
{
    public long? RunAsUser { get; set; }
    public long? RunAsGroup { get; set; }
    public bool? RunAsNonRoot { get; set; }
    public bool? ReadOnlyRootFilesystem { get; set; }
    public bool? Privileged { get; set; }
    public bool? AllowPrivilegeEscalation { get; set; }
    public KubeCapabilities? Capabilities { get; set; }
    public KubeSeccompProfile? SeccompProfile { get; set; }
    /// <summary>Default (the masked and read-only /proc paths) or Unmasked.</summary>
    public string? ProcMount { get; set; }
}

/// <summary>seccompProfile of a container's or the pod's securityContext.</summary>
public sealed class KubeSeccompProfile
{
    /// <summary>RuntimeDefault, Unconfined or Localhost.</summary>
    public string? Type { get; set; }
    /// <summary>For Localhost: a path relative to the node's seccomp profile root (kubelet's /var/lib/kubelet/seccomp).</summary>
    public string? LocalhostProfile { get; set; }
}

public sealed class KubeCapabilities
{
    public List<string>? Add { get; set; }
    public List<string>? Drop { get; set; }
}
