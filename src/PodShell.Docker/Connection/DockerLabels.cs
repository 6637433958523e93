namespace PodShell.Docker.Connection;

/// <summary>
/// Kubernetes' own label names (the ones kubelet's dockershim and cri-dockerd put on containers), so pods
/// made by cri-dockerd show up as pods too, and PodShell's pods look like pods to other tools.
/// </summary>
public static class DockerLabels
{
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string ContainerName = "io.kubernetes.container.name";
    /// <summary>cri-dockerd's marker: "podsandbox" on the pause container, "container" on the others.</summary>
    public const string ContainerType = "io.kubernetes.docker.type";
    public const string SandboxId = "io.kubernetes.sandbox.id";
    public const string ContainerTypeSandbox = "podsandbox";
    public const string ContainerTypeContainer = "container";
    /// <summary>The name kubelet gives the sandbox's pause container.</summary>
    public const string PauseContainerName = "POD";

    // PodShell's own facts about a pod, which Docker has no field for.
    public const string Prefix = "io.podshell.";
    public const string Hostname = Prefix + "hostname";
    public const string QosClass = Prefix + "qos-class";
    public const string CgroupPath = Prefix + "cgroup-path";
    public const string ShareProcessNamespace = Prefix + "share-process-namespace";
    public const string HostIpc = Prefix + "host-ipc";
    public const string HostPid = Prefix + "host-pid";
    public const string HostNetwork = Prefix + "host-network";
    public const string RestartPolicy = Prefix + "restart-policy";
    public const string PidMode = Prefix + "pid-mode";
    public const string CpuLimitMilli = Prefix + "cpu-limit-milli";
    public const string TerminationGracePeriod = Prefix + "termination-grace-period";
    /// <summary>The pod's volumes (JSON), on the sandbox; a container's mounts (JSON) and role, on the container.</summary>
    public const string Volumes = Prefix + "volumes";
    public const string Mounts = Prefix + "mounts";
    public const string ContainerRole = Prefix + "container-role";
    /// <summary>The pod's names and groups (on the sandbox): Docker keeps the sysctls itself (HostConfig.Sysctls).</summary>
    public const string Subdomain = Prefix + "subdomain";
    public const string Fqdn = Prefix + "fqdn";
    public const string SetHostnameAsFqdn = Prefix + "set-hostname-as-fqdn";
    public const string HostAliases = Prefix + "host-aliases";
    public const string SupplementalGroups = Prefix + "supplemental-groups";
    public const string FsGroup = Prefix + "fs-group";
    public const string FsGroupChangePolicy = Prefix + "fs-group-change-policy";
    /// <summary>capabilities.add and .drop as asked (comma lists); HostConfig holds them resolved.</summary>
    public const string CapabilitiesAdd = Prefix + "capabilities-add";
    public const string CapabilitiesDrop = Prefix + "capabilities-drop";
    /// <summary>The file a Localhost seccomp profile was read from (HostConfig holds only its JSON).</summary>
    public const string SeccompProfilePath = Prefix + "seccomp-profile-path";
    /// <summary>"true" when the container was made with runAsNonRoot (checked then; Docker has no such field).</summary>
    public const string RunAsNonRoot = Prefix + "run-as-non-root";
    /// <summary>cri-dockerd keeps a pod's annotations as sandbox labels with this prefix.</summary>
    public const string AnnotationPrefix = "annotation.";
}
