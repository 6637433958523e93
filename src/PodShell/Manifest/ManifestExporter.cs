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
    public static KubeDocument Export(Pod pod)
    {
        var labels = new Dictionary<string, string>(pod.Labels);
        labels.Remove(ManifestTranslator.NamespaceLabel, out var ns);
        var containers = pod.Containers.Select(Container).ToList();
        var spec = new PodSpec
        {
            Containers = containers,
            RestartPolicy = pod.Containers.FirstOrDefault()?.RestartPolicy.ToString(),
            Hostname = pod.Hostname != NameValidator.HostnameFor(pod.Name) && pod.Namespaces.Uts != NamespaceMode.Node ? pod.Hostname : null,
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
            },
            Spec = spec,
        };
    }

    private static KubeContainer Container(PodContainer c)
    {
        var limits = new Dictionary<string, string>();
        if (c.CpuLimitMilli is { } cpu) limits["cpu"] = Cpu(cpu);
        if (c.MemoryLimit is { } memory) limits["memory"] = Memory(memory);
        var (uid, gid) = NumericUser(c.User);
        return new KubeContainer
        {
            Name = c.Name,
            Image = c.Image,
            Command = c.Command.Length > 0 ? c.Command.ToList() : null,
            WorkingDir = c.WorkingDirectory,
            Env = c.Environment.Count > 0 ? c.Environment.Select(e => new KubeEnvVar { Name = e.Key, Value = e.Value }).ToList() : null,
            // This engine's requests are its limits: say so, so the class is the same on a cluster.
            Resources = limits.Count > 0 ? new KubeResources { Limits = limits, Requests = new Dictionary<string, string>(limits) } : null,
            SecurityContext = uid is null && gid is null ? null : new ContainerSecurityContext { RunAsUser = uid, RunAsGroup = gid },
        };
    }

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
