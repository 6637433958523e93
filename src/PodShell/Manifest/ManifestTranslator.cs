using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>
/// Turns one Pod document into engine requests, recording for every field whether it was applied.
/// Nothing here touches the node: New-Pod runs the plan, ConvertFrom-PodManifest shows it.
/// </summary>
public sealed partial class ManifestTranslator
{
    public const string NamespaceLabel = PodHostnames.NamespaceLabel;
    /// <summary>Stands for the pod's IP in a plan until the sandbox has one (see <see cref="PodManifestRunner"/>).</summary>
    public const string PodIpReference = "$(podshell.status.podIP)";

    private readonly ManifestDocument _document;
    private readonly IReadOnlyDictionary<string, string> _imageMap;
    private readonly FieldLedger _ledger;
    private string _podName = "";
    private string _namespace = "default";
    private string _uid = "";

    private ManifestTranslator(ManifestDocument document, IReadOnlyDictionary<string, string>? imageMap)
    {
        _document = document;
        _imageMap = imageMap ?? new Dictionary<string, string>();
        _ledger = new FieldLedger(document.Tree);
    }

    /// <param name="seccompRoot">Where Localhost seccomp profiles are read (null: kubelet's /var/lib/kubelet/seccomp).</param>
    public static PodManifestPlan Translate(ManifestDocument document, IReadOnlyDictionary<string, string>? imageMap = null, string? seccompRoot = null) =>
        new ManifestTranslator(document, imageMap) { _seccompRoot = seccompRoot ?? KubeletSeccompRoot }.Run();

    private PodManifestPlan Run()
    {
        var doc = _document.Pod;
        if (doc.Kind != "Pod") throw Error("kind", $"kind is '{doc.Kind}'; PodShell reads Pods (one or many per file, or a List of them).");
        if (doc.ApiVersion != "v1") throw Error("apiVersion", $"apiVersion is '{doc.ApiVersion}'; PodShell reads v1 Pods.");
        _ledger.Applied("apiVersion");
        _ledger.Applied("kind");
        var meta = doc.Metadata ?? new ObjectMeta();
        var spec = doc.Spec ?? throw Error("", "the Pod has no spec.");

        _podName = PodName(meta);
        _namespace = meta.Namespace ?? "default";
        _uid = Uid(meta);
        var labels = new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>());
        if (meta.Labels is not null) _ledger.Applied("metadata.labels");
        if (meta.Namespace is not null)
        {
            labels[NamespaceLabel] = meta.Namespace;
            _ledger.Applied("metadata.namespace");
        }

        if (meta.Annotations is not null) _ledger.Applied("metadata.annotations");
        var pod = new PodCreateRequest
        {
            Name = _podName,
            Uid = _uid,
            Labels = labels,
            Annotations = new Dictionary<string, string>(meta.Annotations ?? new Dictionary<string, string>()),
            Volumes = Volumes(spec.Volumes),
            TerminationGracePeriodSeconds = GracePeriod(spec.TerminationGracePeriodSeconds),
            Dns = Dns(spec.DnsConfig),
            ShareProcessNamespace = Flag(spec.ShareProcessNamespace, "spec.shareProcessNamespace"),
            HostNetwork = Flag(spec.HostNetwork, "spec.hostNetwork"),
            HostPid = Flag(spec.HostPID, "spec.hostPID"),
            HostIpc = Flag(spec.HostIPC, "spec.hostIPC"),
        };
        if (spec.Hostname is not null)
        {
            if (!NameValidator.IsLabel(spec.Hostname)) throw Error("spec.hostname", $"'{spec.Hostname}' is not a DNS-1123 label.");
            pod.Hostname = spec.Hostname;
            _ledger.Applied("spec.hostname");
        }

        var restart = PodRestartPolicy(spec.RestartPolicy);
        var podUser = spec.SecurityContext;
        if (podUser?.RunAsUser is not null) _ledger.Applied("spec.securityContext.runAsUser");
        if (podUser?.RunAsGroup is not null) _ledger.Applied("spec.securityContext.runAsGroup");
        if (podUser?.RunAsNonRoot is not null) _ledger.Applied("spec.securityContext.runAsNonRoot");
        PodGroups(podUser, pod);
        Sysctls(podUser?.Sysctls, pod);
        PodNames(spec, pod);
        PodPlatform(spec);
        PodSeccomp(podUser);

        if (spec.Containers is not { Count: > 0 }) throw Error("spec.containers", "the Pod has no containers.");
        var planned = new List<PlannedContainer>();
        var resources = new List<KubeQos.Resources>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.InitContainers?.Count ?? 0); i++)
        {
            var path = $"spec.initContainers[{i}]";
            var c = spec.InitContainers![i];
            var sidecar = c.RestartPolicy switch
            {
                null => false,
                "Always" => true,
                _ => throw Error(path + ".restartPolicy", $"'{c.RestartPolicy}' is not valid here: an init container's restartPolicy is Always (a sidecar) or unset."),
            };
            if (c.RestartPolicy is not null) _ledger.Applied(path + ".restartPolicy");
            // A failing init container is run again while the pod's policy allows restarts.
            var policy = sidecar ? RestartPolicy.Always : restart == RestartPolicy.Never ? RestartPolicy.Never : RestartPolicy.OnFailure;
            var init = Container(c, path, policy, podUser, seen, resources, pod.Volumes);
            init.Role = sidecar ? ContainerRole.Sidecar : ContainerRole.Init;
            planned.Add(new PlannedContainer { Request = init, IsInit = true, IsSidecar = sidecar });
        }
        for (var i = 0; i < spec.Containers.Count; i++)
        {
            var path = $"spec.containers[{i}]";
            var c = spec.Containers[i];
            if (c.RestartPolicy is not null) throw Error(path + ".restartPolicy", "only init containers take a restartPolicy of their own.");
            planned.Add(new PlannedContainer { Request = Container(c, path, restart, podUser, seen, resources, pod.Volumes) });
        }
        pod.Ports = _ports;
        pod.Resources = PodResources(spec.Resources);

        _ledger.IgnoreKnown();
        return new PodManifestPlan
        {
            Pod = pod,
            // What the engine will compute once every container is in (not an assertion: New-Pod adds them one by one).
            QosClass = KubeQos.Compute(resources, pod.Resources),
            Containers = planned,
            Report = _ledger.Report(_podName),
            Manifest = doc,
            Source = _document.Source,
        };
    }

    private string PodName(ObjectMeta meta)
    {
        if (meta.Name is { Length: > 0 } name)
        {
            if (!NameValidator.IsSubdomain(name)) throw Error("metadata.name", $"'{name}' is not a valid pod name: it must be a DNS-1123 subdomain.");
            _ledger.Applied("metadata.name");
            return name;
        }
        if (meta.GenerateName is { Length: > 0 } prefix)
        {
            // As the API server does: the prefix and five random characters of [bcdfghjklmnpqrstvwxz2456789].
            const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
            var suffix = new string(Enumerable.Range(0, 5).Select(_ => alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
            var generated = prefix + suffix;
            if (!NameValidator.IsSubdomain(generated)) throw Error("metadata.generateName", $"'{prefix}' does not make a valid pod name.");
            _ledger.Applied("metadata.generateName");
            return generated;
        }
        throw Error("metadata", "the Pod has no metadata.name (or generateName).");
    }

    private static readonly Regex UidPattern = new("^[a-z0-9]([-a-z0-9]{0,62})$", RegexOptions.CultureInvariant);

    private string Uid(ObjectMeta meta)
    {
        if (meta.Uid is null) return Guid.NewGuid().ToString();
        var uid = meta.Uid.ToLowerInvariant();
        // The uid names the pod's cgroup (pod<uid>): only what is safe in a path.
        if (!UidPattern.IsMatch(uid)) throw Error("metadata.uid", $"'{meta.Uid}' is not a valid uid: use a UUID such as {Guid.NewGuid()}.");
        _ledger.Applied("metadata.uid");
        return uid;
    }

    private bool Flag(bool? value, string path)
    {
        if (value is null) return false;
        _ledger.Applied(path);
        return value.Value;
    }

    private RestartPolicy PodRestartPolicy(string? value)
    {
        if (value is null) return RestartPolicy.Always;
        _ledger.Applied("spec.restartPolicy");
        return value switch
        {
            "Always" => RestartPolicy.Always,
            "OnFailure" => RestartPolicy.OnFailure,
            "Never" => RestartPolicy.Never,
            _ => throw Error("spec.restartPolicy", $"'{value}' is not a restart policy: use Always, OnFailure or Never."),
        };
    }

    private ContainerCreateRequest Container(KubeContainer c, string path, RestartPolicy policy, PodSecurityContext? podSecurity,
        HashSet<string> seen, List<KubeQos.Resources> resources, IReadOnlyList<PodVolume> volumes)
    {
        if (c.Name is not { Length: > 0 } name) throw Error(path, "the container has no name.");
        if (!NameValidator.IsLabel(name)) throw Error(path + ".name", $"'{name}' is not a valid container name: it must be a DNS-1123 label.");
        if (!seen.Add(name)) throw Error(path + ".name", $"the pod has two containers named '{name}'.");
        _ledger.Applied(path + ".name");

        var request = new ContainerCreateRequest { Name = name, RestartPolicy = policy };
        Image(c, path, request);

        var env = Environment(c, path);
        request.Environment = env;
        string? Lookup(string key) => env.TryGetValue(key, out var v) ? v : null;
        var command = (c.Command ?? new List<string>()).Select(a => KubeExpansion.Expand(a, Lookup)).ToList();
        var args = (c.Args ?? new List<string>()).Select(a => KubeExpansion.Expand(a, Lookup)).ToList();
        if (c.Command is not null) _ledger.Applied(path + ".command");
        if (c.Args is not null) _ledger.Applied(path + ".args");
        // Images from a store bring their own Entrypoint and Cmd, which command and args replace (Kubernetes' rule);
        // the host image and a folder have none.
        var hasImageConfig = request.RootFs is null && request.Image != "host";
        if (!hasImageConfig && command.Count == 0 && args.Count == 0) throw Error(path, $"container '{name}' has no command: its image ({request.RootFs ?? request.Image}) has none of its own, so give it a command (or args).");
        request.Args = command.Concat(args).ToList();
        request.Command = c.Command is null ? null : command;
        request.Arguments = c.Args is null ? null : args;

        if (c.WorkingDir is not null)
        {
            if (!c.WorkingDir.StartsWith('/')) throw Error(path + ".workingDir", $"'{c.WorkingDir}' is not an absolute path.");
            request.WorkingDirectory = c.WorkingDir;
            _ledger.Applied(path + ".workingDir");
        }

        HostPorts(c.Ports, path);
        resources.Add(Resources(c.Resources, path + ".resources", request));
        request.Mounts = Mounts(c.VolumeMounts, path, volumes);
        User(c.SecurityContext, podSecurity, path, request);
        SecurityContext(c.SecurityContext, path, request);
        return request;
    }

    private void Image(KubeContainer c, string path, ContainerCreateRequest request)
    {
        if (c.Image is not { Length: > 0 } image) throw Error(path + ".image", "the container has no image.");
        _ledger.Applied(path + ".image");
        var target = _imageMap.TryGetValue(image, out var mapped) ? mapped : image;
        if (target.StartsWith('/') || target.StartsWith("./", StringComparison.Ordinal) || target.StartsWith("../", StringComparison.Ordinal))
        {
            request.RootFs = target;
        }
        else
        {
            request.Image = target;
        }
        if (c.ImagePullPolicy is not null)
        {
            if (c.ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
            {
                throw Error(path + ".imagePullPolicy", $"'{c.ImagePullPolicy}' is not a pull policy: use Always, IfNotPresent or Never.");
            }
            if (target == "host" || request.RootFs is not null)
            {
                _ledger.Ignored(path + ".imagePullPolicy", "the image is the node's own root or a folder: nothing is pulled");
            }
            else
            {
                request.PullPolicy = Enum.Parse<PullPolicy>(c.ImagePullPolicy);
                _ledger.Applied(path + ".imagePullPolicy");
            }
        }
    }

    private Dictionary<string, string> Environment(KubeContainer c, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (c.Env?.Count ?? 0); i++)
        {
            var entryPath = $"{path}.env[{i}]";
            var entry = c.Env![i];
            if (entry.Name is not { Length: > 0 } key) throw Error(entryPath, "the variable has no name.");
            _ledger.Applied(entryPath + ".name");
            string value;
            if (entry.ValueFrom is { } from)
            {
                if (from.FieldRef?.FieldPath is not { } field) throw Error(entryPath + ".valueFrom", "only fieldRef is supported: a single node has no ConfigMaps, Secrets or resource fields to read.");
                value = FieldRef(field, entryPath + ".valueFrom.fieldRef.fieldPath");
                _ledger.Applied(entryPath + ".valueFrom");
            }
            else
            {
                // A value sees only the variables defined before it, as in Kubernetes.
                value = KubeExpansion.Expand(entry.Value ?? "", name => env.TryGetValue(name, out var v) ? v : null);
                if (entry.Value is not null) _ledger.Applied(entryPath + ".value");
            }
            env[key] = value;
        }
        return env;
    }

    private string FieldRef(string field, string path)
    {
        var labelMatch = Regex.Match(field, @"^metadata\.labels\['(.+)'\]$");
        if (labelMatch.Success)
        {
            var labels = _document.Pod.Metadata?.Labels;
            return labels is not null && labels.TryGetValue(labelMatch.Groups[1].Value, out var v) ? v : "";
        }
        return field switch
        {
            "metadata.name" => _podName,
            "metadata.namespace" => _namespace,
            "metadata.uid" => _uid,
            "spec.nodeName" => System.Environment.MachineName,
            // Known once the sandbox is on its network: New-Pod fills it in before the container is made.
            "status.podIP" => PodIpReference,
            "status.podIPs" => PodIpReference,
            _ => throw Error(path, $"'{field}' cannot be given on this node: use metadata.name, metadata.namespace, metadata.uid, metadata.labels['key'], spec.nodeName or status.podIP."),
        };
    }

    private KubeQos.Resources Resources(KubeResources? resources, string path, ContainerCreateRequest request)
    {
        var parsed = ParseResources(resources, path);
        // Kubernetes: 0 means no limit. Requests are written as kubelet writes them: cpu.shares from the cpu request,
        // oom_score_adj from the memory one.
        if (parsed.CpuLimitMilli is > 0) request.CpuLimitMilli = parsed.CpuLimitMilli;
        if (parsed.MemoryLimit is > 0) request.MemoryLimit = parsed.MemoryLimit;
        if (parsed.CpuRequestMilli is > 0) request.CpuRequestMilli = parsed.CpuRequestMilli;
        if (parsed.MemoryRequest is > 0) request.MemoryRequest = parsed.MemoryRequest;
        return new KubeQos.Resources(parsed.CpuRequestMilli, parsed.CpuLimitMilli, parsed.MemoryRequest, parsed.MemoryLimit);
    }

    /// <summary>Pod-level resources (Kubernetes' spec.resources): the pod cgroup's values, and the QoS class when given.</summary>
    private ResourceRequirements? PodResources(KubeResources? resources)
    {
        if (resources is null) return null;
        var parsed = ParseResources(resources, "spec.resources");
        return parsed.HasNoComputeResources ? null : parsed;
    }

    private ResourceRequirements ParseResources(KubeResources? resources, string path)
    {
        long? Quantity(Dictionary<string, string>? values, string section, string name, bool cpu)
        {
            if (values is null || !values.TryGetValue(name, out var text)) return null;
            var fieldPath = $"{path}.{section}.{name}";
            try
            {
                var value = cpu ? KubeQuantity.ParseCpuMilli(text) : KubeQuantity.ParseBytes(text);
                _ledger.Applied(fieldPath);
                return value;
            }
            catch (FormatException e)
            {
                throw Error(fieldPath, e.Message);
            }
        }
        return new ResourceRequirements
        {
            CpuLimitMilli = Quantity(resources?.Limits, "limits", "cpu", cpu: true),
            MemoryLimit = Quantity(resources?.Limits, "limits", "memory", cpu: false),
            CpuRequestMilli = Quantity(resources?.Requests, "requests", "cpu", cpu: true),
            MemoryRequest = Quantity(resources?.Requests, "requests", "memory", cpu: false),
        };
    }

    private void User(ContainerSecurityContext? own, PodSecurityContext? pod, string path, ContainerCreateRequest request)
    {
        var uid = own?.RunAsUser ?? pod?.RunAsUser;
        var gid = own?.RunAsGroup ?? pod?.RunAsGroup;
        var nonRoot = own?.RunAsNonRoot ?? pod?.RunAsNonRoot;
        if (own?.RunAsUser is not null) _ledger.Applied(path + ".securityContext.runAsUser");
        if (own?.RunAsGroup is not null) _ledger.Applied(path + ".securityContext.runAsGroup");
        if (own?.RunAsNonRoot is not null) _ledger.Applied(path + ".securityContext.runAsNonRoot");
        if (uid is < 0) throw Error(path + ".securityContext.runAsUser", "a uid is zero or more.");
        if (gid is < 0) throw Error(path + ".securityContext.runAsGroup", "a gid is zero or more.");
        if (uid is not null || gid is not null)
        {
            request.User = gid is null
                ? (uid ?? 0).ToString(CultureInfo.InvariantCulture)
                : $"{(uid ?? 0).ToString(CultureInfo.InvariantCulture)}:{gid.Value.ToString(CultureInfo.InvariantCulture)}";
        }
        // kubelet refuses to start such a container (CreateContainerConfigError); so does PodShell, before anything is made
        // when the user is known here (runAsUser 0, or no user and an image without one: the host image, a folder);
        // for a stored image, whose USER is known once it is pulled, the engine checks it.
        request.RunAsNonRoot = nonRoot == true;
        var imageHasUser = request.RootFs is null && request.Image != "host";
        if (nonRoot == true && (uid == 0 || (uid is null && !imageHasUser)))
        {
            throw Error(path + ".securityContext.runAsNonRoot", $"container '{request.Name}' must not run as root (runAsNonRoot), but its user is root: set runAsUser to a uid other than 0.");
        }
    }

    private readonly List<PodPortMapping> _ports = new();

    /// <summary>hostPorts become the pod's port mappings (the portmap plugin on the native engine); containerPort alone is informational.</summary>
    private void HostPorts(List<KubeContainerPort>? ports, string containerPath)
    {
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var path = $"{containerPath}.ports[{i}]";
            var p = ports![i];
            if (p.HostPort is not { } hostPort) continue;
            if (p.ContainerPort is not { } containerPort) throw Error(path + ".containerPort", "a port with a hostPort needs its containerPort.");
            if (hostPort is < 1 or > 65535) throw Error(path + ".hostPort", $"{hostPort} is not a port number (1-65535).");
            if (containerPort is < 1 or > 65535) throw Error(path + ".containerPort", $"{containerPort} is not a port number (1-65535).");
            var protocol = (p.Protocol ?? "TCP") switch
            {
                "TCP" => PortProtocol.Tcp,
                "UDP" => PortProtocol.Udp,
                "SCTP" => PortProtocol.Sctp,
                _ => throw Error(path + ".protocol", $"'{p.Protocol}' is not a protocol: use TCP, UDP or SCTP."),
            };
            if (p.HostIP is { Length: > 0 } ip && !System.Net.IPAddress.TryParse(ip, out _)) throw Error(path + ".hostIP", $"'{ip}' is not an IP address.");
            _ports.Add(new PodPortMapping { HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol, HostIP = p.HostIP ?? "" });
            _ledger.Applied(path + ".hostPort");
            _ledger.Applied(path + ".containerPort");
            if (p.Protocol is not null) _ledger.Applied(path + ".protocol");
            if (p.HostIP is not null) _ledger.Applied(path + ".hostIP");
        }
    }

    private PodDnsConfig? Dns(KubeDnsConfig? dns)
    {
        if (dns is null) return null;
        _ledger.Applied("spec.dnsConfig");
        return new PodDnsConfig
        {
            Nameservers = dns.Nameservers?.ToArray() ?? Array.Empty<string>(),
            Searches = dns.Searches?.ToArray() ?? Array.Empty<string>(),
            Options = dns.Options?.Select(o => o.Value is null ? o.Name ?? "" : $"{o.Name}:{o.Value}").ToArray() ?? Array.Empty<string>(),
        };
    }

    private long? GracePeriod(long? seconds)
    {
        if (seconds is null) return null;
        if (seconds < 0) throw Error("spec.terminationGracePeriodSeconds", "a grace period is zero or more seconds.");
        _ledger.Applied("spec.terminationGracePeriodSeconds");
        return seconds;
    }

    private List<PodVolume> Volumes(List<KubeVolume>? volumes)
    {
        var result = new List<PodVolume>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var path = $"spec.volumes[{i}]";
            var v = volumes![i];
            if (v.Name is not { Length: > 0 } name || !NameValidator.IsLabel(name)) throw Error(path + ".name", $"'{v.Name}' is not a valid volume name: it must be a DNS-1123 label.");
            if (!names.Add(name)) throw Error(path + ".name", $"the pod has two volumes named '{name}'.");
            _ledger.Applied(path + ".name");
            if (v.EmptyDir is { } empty)
            {
                if (empty.Medium is not (null or "" or "Memory")) throw Error(path + ".emptyDir.medium", $"'{empty.Medium}' is not an emptyDir medium: use \"\" or Memory.");
                long? size = null;
                if (empty.SizeLimit is { } limit)
                {
                    try { size = KubeQuantity.ParseBytes(limit); }
                    catch (FormatException e) { throw Error(path + ".emptyDir.sizeLimit", e.Message); }
                }
                result.Add(new PodVolume { Name = name, Kind = PodVolumeKind.EmptyDir, Medium = empty.Medium ?? "", SizeLimit = size is > 0 ? size : null });
                _ledger.Applied(path + ".emptyDir");
            }
            else if (v.HostPath is { } host)
            {
                if (host.Path is not { Length: > 0 } hostPath || !hostPath.StartsWith('/')) throw Error(path + ".hostPath.path", "a hostPath is an absolute path of the node.");
                result.Add(new PodVolume { Name = name, Kind = PodVolumeKind.HostPath, Path = hostPath, HostPathType = host.Type ?? "" });
                _ledger.Applied(path + ".hostPath");
            }
            // Other volume kinds (configMap, secret, persistentVolumeClaim...) need an API server: the report says so, and mounts of them fail below.
        }
        return result;
    }

    private List<ContainerMount> Mounts(KubeVolumeMount[]? mounts, string containerPath, IReadOnlyList<PodVolume> volumes)
    {
        var result = new List<ContainerMount>();
        for (var i = 0; i < (mounts?.Length ?? 0); i++)
        {
            var path = $"{containerPath}.volumeMounts[{i}]";
            var m = mounts![i];
            if (m.Name is not { Length: > 0 } name || volumes.All(v => v.Name != name))
            {
                throw Error(path + ".name", $"'{m.Name}' is not a volume of this pod this node can give (emptyDir or hostPath).");
            }
            if (m.MountPath is not { Length: > 0 } mountPath || !mountPath.StartsWith('/')) throw Error(path + ".mountPath", "a mountPath is an absolute path.");
            var subPath = m.SubPath ?? "";
            if (subPath.StartsWith('/') || subPath.Split('/').Contains("..")) throw Error(path + ".subPath", "a subPath is a relative path without '..'.");
            result.Add(new ContainerMount { Volume = name, MountPath = mountPath, ReadOnly = m.ReadOnly ?? false, SubPath = subPath });
            _ledger.Applied(path);
        }
        return result;
    }

    /// <summary>securityContext.supplementalGroups, fsGroup and fsGroupChangePolicy: the pod's groups (<see cref="PodGroupRules"/>).</summary>
    private void PodGroups(PodSecurityContext? context, PodCreateRequest pod)
    {
        const string path = "spec.securityContext";
        for (var i = 0; i < (context?.SupplementalGroups?.Count ?? 0); i++)
        {
            var gid = context!.SupplementalGroups![i];
            Checked($"{path}.supplementalGroups[{i}]", () => PodGroupRules.Validate(new[] { gid }, null, null, _podName));
        }
        if (context?.SupplementalGroups is { } groups)
        {
            pod.SupplementalGroups = groups.ToList();
            _ledger.Applied(path + ".supplementalGroups");
        }
        if (context?.FsGroup is { } fsGroup)
        {
            Checked(path + ".fsGroup", () => PodGroupRules.Validate(Array.Empty<long>(), fsGroup, null, _podName));
            pod.FsGroup = fsGroup;
            _ledger.Applied(path + ".fsGroup");
        }
        if (context?.SupplementalGroupsPolicy is { } groupsPolicy)
        {
            Checked(path + ".supplementalGroupsPolicy", () => PodGroupRules.ValidateGroupsPolicy(groupsPolicy, _podName));
            pod.SupplementalGroupsPolicy = groupsPolicy;
            _ledger.Applied(path + ".supplementalGroupsPolicy");
        }
        if (context?.FsGroupChangePolicy is { } policy)
        {
            Checked(path + ".fsGroupChangePolicy", () => PodGroupRules.Validate(Array.Empty<long>(), pod.FsGroup ?? 0, policy, _podName));
            if (pod.FsGroup is null)
            {
                _ledger.Ignored(path + ".fsGroupChangePolicy", "the pod has no fsGroup, so no volume changes owner");
            }
            else
            {
                pod.FsGroupChangePolicy = policy;
                _ledger.Applied(path + ".fsGroupChangePolicy");
            }
        }
    }

    /// <summary>securityContext.sysctls: only those of the pod's own namespaces (<see cref="SysctlRules"/>), checked here with their line.</summary>
    private void Sysctls(List<KubeSysctl>? sysctls, PodCreateRequest pod)
    {
        for (var i = 0; i < (sysctls?.Count ?? 0); i++)
        {
            var path = $"spec.securityContext.sysctls[{i}]";
            var entry = sysctls![i];
            if (entry.Name is not { Length: > 0 } name) throw Error(path + ".name", "the sysctl has no name.");
            var one = new Dictionary<string, string> { [name] = entry.Value ?? "" };
            Checked(path + ".name", () => SysctlRules.Validate(one, ownNetwork: !pod.HostNetwork, ownIpc: !pod.HostIpc, _podName));
            // net/ipv4/x and net.ipv4.x name the same sysctl.
            var canonical = SysctlRules.Canonical(name);
            if (pod.Sysctls.ContainsKey(canonical)) throw Error(path + ".name", $"sysctl '{name}' is given twice.");
            pod.Sysctls[canonical] = entry.Value ?? "";
            _ledger.Applied(path);
        }
    }

    /// <summary>subdomain, setHostnameAsFQDN and hostAliases, as kubelet names a pod (<see cref="PodHostnames"/>).</summary>
    private void PodNames(PodSpec spec, PodCreateRequest pod)
    {
        var hostname = pod.Hostname ?? NameValidator.HostnameFor(_podName);
        if (pod.HostNetwork)
        {
            // kubelet gives a pod on the node's network the node's own name.
            if (spec.Subdomain is not null) _ledger.Ignored("spec.subdomain", "the pod is on the node's network (hostNetwork), so it has the node's name");
            if (spec.SetHostnameAsFQDN is not null) _ledger.Ignored("spec.setHostnameAsFQDN", "the pod is on the node's network (hostNetwork), so it has the node's name");
        }
        else
        {
            var setAsFqdn = spec.SetHostnameAsFQDN == true;
            Checked(spec.Subdomain is null ? "spec.setHostnameAsFQDN" : "spec.subdomain",
                () => PodHostnames.Fqdn(hostname, spec.Subdomain, _namespace, setAsFqdn, _podName));
            pod.Subdomain = spec.Subdomain;
            pod.SetHostnameAsFqdn = setAsFqdn;
            if (spec.Subdomain is not null) _ledger.Applied("spec.subdomain");
            if (spec.SetHostnameAsFQDN is not null) _ledger.Applied("spec.setHostnameAsFQDN");
        }
        for (var i = 0; i < (spec.HostAliases?.Count ?? 0); i++)
        {
            var path = $"spec.hostAliases[{i}]";
            var alias = new PodHostAlias { IP = spec.HostAliases![i].Ip ?? "", Hostnames = spec.HostAliases[i].Hostnames?.ToArray() ?? Array.Empty<string>() };
            Checked(path, () => PodHostnames.ValidateAliases(new[] { alias }, _podName));
            pod.HostAliases.Add(alias);
            _ledger.Applied(path);
        }
    }

    /// <summary>
    /// Pod-level fields about the platform a pod needs: what this node is (Linux, the node's user namespace) is Applied, what it
    /// cannot be refused or reported Unsupported with the reason, so a reader of the report knows what the pod went without.
    /// </summary>
    private void PodPlatform(PodSpec spec)
    {
        if (spec.Os is { } os)
        {
            if (os.Name is not ("linux" or "windows")) throw Error("spec.os.name", $"'{os.Name}' is not an operating system Kubernetes knows: linux or windows.");
            if (os.Name == "windows") throw Error("spec.os.name", "the pod is for Windows, and this node runs Linux.");
            _ledger.Applied("spec.os");
        }
        if (spec.HostUsers == true) _ledger.Applied("spec.hostUsers");
        else if (spec.HostUsers == false) _ledger.Unsupported("spec.hostUsers", "PodShell makes no user namespaces: the pod's root is the node's root, as with hostUsers: true");
        const string security = "spec.securityContext";
        _ledger.Unsupported(security + ".seLinuxOptions", "PodShell gives processes and files no SELinux labels");
        _ledger.Unsupported(security + ".seLinuxChangePolicy", "PodShell gives processes and files no SELinux labels");
        _ledger.Unsupported(security + ".appArmorProfile", "PodShell loads no AppArmor profiles");
        _ledger.Ignored(security + ".windowsOptions", "Windows nodes only");
        _ledger.Unsupported("spec.runtimeClassName", "PodShell has one runtime per engine (the native one or Docker's runc): choose it with -Engine");
        _ledger.Unsupported("spec.imagePullSecrets", "no API server, so no Secrets: pulls use the node's registry credentials");
        _ledger.Unsupported("spec.ephemeralContainers", "added to a running pod through the API server; use Add-PodContainer or Invoke-PodCommand");
        _ledger.Unsupported("spec.resourceClaims", "no API server, so no dynamic resource allocation");
        _ledger.Ignored("spec.overhead", "set by the RuntimeClass admission of an API server");
        _ledger.Ignored("spec.schedulingGates", "scheduling: the pod runs on this node");
    }

    /// <summary>An engine rule checked while translating, so its error names the manifest's line and field.</summary>
    private void Checked(string path, Action check)
    {
        try
        {
            check();
        }
        catch (PodEngineException e)
        {
            throw Error(path, e.Message);
        }
    }

    private ManifestException Error(string path, string problem)
    {
        var node = path.Length == 0 ? _document.Tree : _document.Tree.Find(path) ?? _document.Tree;
        return new ManifestException(_document.Source, node.Line, node.Column, path, problem);
    }
}
