using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PodShell.Engine;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>Any pod, hand-built or from a manifest, as a Kubernetes v1 Pod document.</summary>
public static class ManifestExporter
{
    /// <param name="seccompRoot">The node's seccomp profile root that Localhost profiles are written relative to (null: kubelet's).</param>
    /// <param name="warn">Told about what a cluster would not take as written (a profile outside the root).</param>
    public static KubeDocument Export(Pod pod, string? seccompRoot = null, System.Action<string>? warn = null)
    {
        var security = new SecurityContextExport(seccompRoot ?? ManifestTranslator.KubeletSeccompRoot, warn);
        var labels = new Dictionary<string, string>(pod.Labels);
        labels.Remove(ManifestTranslator.NamespaceLabel, out var ns);
        // In the order they were made, which is the pod's start order.
        var ordered = pod.Containers.OrderBy(c => c.CreatedAt).ToList();
        var apps = ordered.Where(c => c.Role == ContainerRole.App).ToList();
        var inits = ordered.Where(c => c.Role != ContainerRole.App).Select(c =>
        {
            var init = Container(c, security);
            if (c.Role == ContainerRole.Sidecar) init.RestartPolicy = "Always";
            return init;
        }).ToList();
        var containers = apps.Select(c => Container(c, security)).ToList();
        // A pod's host ports belong to no one container here: they go on the first, where kubelet would read them from.
        if (pod.Ports.Length > 0 && containers.Count > 0)
        {
            containers[0].Ports = pod.Ports.Select(p => new KubeContainerPort
            {
                ContainerPort = p.ContainerPort,
                HostPort = p.HostPort,
                Protocol = p.Protocol.ToString().ToUpperInvariant(),
                HostIP = p.HostIP.Length > 0 ? p.HostIP : null,
            }).ToList();
        }
        var spec = new PodSpec
        {
            InitContainers = inits.Count > 0 ? inits : null,
            Containers = containers,
            Volumes = pod.Volumes.Length > 0 ? pod.Volumes.Select(Volume).ToList() : null,
            TerminationGracePeriodSeconds = pod.TerminationGracePeriodSeconds != 30 ? pod.TerminationGracePeriodSeconds : null,
            Resources = pod.Resources is { } podResources ? Resources(podResources) : null,
            RestartPolicy = (apps.FirstOrDefault() ?? ordered.FirstOrDefault())?.RestartPolicy.ToString(),
            Hostname = ShortHostname(pod) is var hostname && hostname != NameValidator.HostnameFor(pod.Name) && pod.Namespaces.Uts != NamespaceMode.Node ? hostname : null,
            Subdomain = pod.Subdomain,
            SetHostnameAsFQDN = pod.SetHostnameAsFqdn ? true : null,
            HostAliases = pod.HostAliases.Length > 0 ? pod.HostAliases.Select(a => new KubeHostAlias { Ip = a.IP, Hostnames = a.Hostnames.ToList() }).ToList() : null,
            SecurityContext = PodSecurity(pod),
            ShareProcessNamespace = pod.Namespaces.Pid == NamespaceMode.Pod ? true : null,
            HostNetwork = pod.Namespaces.Network == NamespaceMode.Node ? true : null,
            HostPID = pod.Namespaces.Pid == NamespaceMode.Node ? true : null,
            HostIPC = pod.Namespaces.Ipc == NamespaceMode.Node ? true : null,
        };
        return new KubeDocument
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = pod.Name,
                Namespace = ns,
                Uid = pod.Uid.Length > 0 ? pod.Uid : null,
                Labels = labels.Count > 0 ? labels : null,
                Annotations = pod.Annotations.Count > 0 ? new Dictionary<string, string>(pod.Annotations) : null,
            },
            Spec = spec,
        };
    }

    /// <summary>With setHostnameAsFQDN the pod's hostname is its FQDN; the manifest's hostname is the first label of it.</summary>
    private static string ShortHostname(Pod pod) => pod.SetHostnameAsFqdn && pod.Fqdn is { } fqdn ? fqdn.Split('.')[0] : pod.Hostname;

    private static PodSecurityContext? PodSecurity(Pod pod)
    {
        if (pod.SupplementalGroups.Length == 0 && pod.FsGroup is null && pod.Sysctls.Count == 0 && pod.SupplementalGroupsPolicy is null) return null;
        return new PodSecurityContext
        {
            SupplementalGroups = pod.SupplementalGroups.Length > 0 ? pod.SupplementalGroups.ToList() : null,
            SupplementalGroupsPolicy = pod.SupplementalGroupsPolicy,
            FsGroup = pod.FsGroup,
            // Always is Kubernetes' default: written only when it is the other one.
            FsGroupChangePolicy = pod.FsGroupChangePolicy is "OnRootMismatch" ? pod.FsGroupChangePolicy : null,
            Sysctls = pod.Sysctls.Count > 0 ? pod.Sysctls.Select(x => new KubeSysctl { Name = x.Key, Value = x.Value }).ToList() : null,
        };
    }

    private static KubeContainer Container(PodContainer c, SecurityContextExport security)
    {
        var resources = Resources(new ResourceRequirements
        {
            CpuLimitMilli = c.CpuLimitMilli, MemoryLimit = c.MemoryLimit, CpuRequestMilli = c.CpuRequestMilli, MemoryRequest = c.MemoryRequest,
        });
        var (uid, gid) = NumericUser(c.User);
        return new KubeContainer
        {
            Name = c.Name,
            Image = c.Image,
            Command = c.Command.Length > 0 ? c.Command.ToList() : null,
            WorkingDir = c.WorkingDirectory,
            Env = c.Environment.Count > 0 ? c.Environment.Select(e => new KubeEnvVar { Name = e.Key, Value = e.Value }).ToList() : null,
            // Requests as recorded (a request given alone, or defaulted to its limit), so the class is the same on a cluster.
            Resources = resources,
            SecurityContext = security.For(c, uid, gid),
            VolumeMounts = c.Mounts.Length > 0
                ? c.Mounts.Select(m => new KubeVolumeMount { Name = m.Volume, MountPath = m.MountPath, ReadOnly = m.ReadOnly ? true : null, SubPath = m.SubPath.Length > 0 ? m.SubPath : null }).ToArray()
                : null,
        };
    }

    private static KubeResources? Resources(ResourceRequirements r)
    {
        var limits = new Dictionary<string, string>();
        if (r.CpuLimitMilli is { } cpu) limits["cpu"] = Cpu(cpu);
        if (r.MemoryLimit is { } memory) limits["memory"] = Memory(memory);
        var requests = new Dictionary<string, string>();
        if (r.CpuRequestMilli is { } cpuRequest) requests["cpu"] = Cpu(cpuRequest);
        if (r.MemoryRequest is { } memoryRequest) requests["memory"] = Memory(memoryRequest);
        return limits.Count + requests.Count > 0
            ? new KubeResources { Limits = limits.Count > 0 ? limits : null, Requests = requests.Count > 0 ? requests : null }
            : null;
    }

    private static KubeVolume Volume(PodVolume v) => v.Kind == PodVolumeKind.HostPath
        ? new KubeVolume { Name = v.Name, HostPath = new HostPathSource { Path = v.Path, Type = v.HostPathType.Length > 0 ? v.HostPathType : null } }
        : new KubeVolume { Name = v.Name, EmptyDir = new EmptyDirSource { Medium = v.Medium.Length > 0 ? v.Medium : null, SizeLimit = v.SizeLimit is { } s ? Memory(s) : null } };

    /// <summary>Millicores as Kubernetes prints them: 2, 500m.</summary>
    public static string Cpu(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>Bytes in the largest binary unit that divides them exactly: 256Mi, 1Gi, 1000.</summary>
    public static string Memory(long bytes)
    {
        string[] units = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
        for (var i = 0; i < units.Length; i++)
        {
            var size = 1L << (10 * (units.Length - i));
            if (bytes >= size && bytes % size == 0) return (bytes / size).ToString(CultureInfo.InvariantCulture) + units[i];
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    private static (long? Uid, long? Gid) NumericUser(string? user)
    {
        if (string.IsNullOrEmpty(user)) return (null, null);
        var parts = user.Split(':');
        long? Parse(string s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        return (Parse(parts[0]), parts.Length > 1 ? Parse(parts[1]) : null);
    }
}
