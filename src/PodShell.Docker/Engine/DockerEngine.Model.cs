using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>From what the daemon says (inspect) to PodShell's engine-neutral Pod and PodContainer.</summary>
public sealed partial class DockerEngine
{
    private Pod? ToPod(IReadOnlyList<ContainerListResponse> group, CancellationToken cancel)
    {
        var sandboxEntry = Sandbox(group);
        if (sandboxEntry is null) return null;
        var inspected = new Dictionary<string, ContainerInspectResponse>(StringComparer.Ordinal);
        foreach (var entry in group)
        {
            var details = TryInspect(entry.ID, cancel);
            if (details is not null) inspected[entry.ID] = details;
        }
        if (!inspected.TryGetValue(sandboxEntry.ID, out var sandbox)) return null;
        var docker = Docker(cancel);
        var labels = sandbox.Config?.Labels ?? new Dictionary<string, string>();
        var name = Label(labels, DockerLabels.PodName) ?? "";
        var running = sandbox.State?.Running == true;
        var hostNetwork = Label(labels, DockerLabels.HostNetwork) == "true" || sandbox.HostConfig?.NetworkMode == "host";
        var hostIpc = Label(labels, DockerLabels.HostIpc) == "true" || sandbox.HostConfig?.IpcMode == "host";
        var hostPid = Label(labels, DockerLabels.HostPid) == "true" || sandbox.HostConfig?.PidMode == "host";
        var sharePid = Label(labels, DockerLabels.ShareProcessNamespace) == "true";
        var cgroupParent = sandbox.HostConfig?.CgroupParent ?? "";
        var qos = Enum.TryParse<QosClass>(Label(labels, DockerLabels.QosClass), out var q) ? q : QosFromCgroupParent(cgroupParent);
        var podCgroup = Label(labels, DockerLabels.CgroupPath)
            ?? (docker.UsesSystemd && cgroupParent.EndsWith(".slice", StringComparison.Ordinal) ? DockerCgroupLayout.SlicePath(cgroupParent) : cgroupParent);
        var containers = group.Where(c => c.ID != sandboxEntry.ID && inspected.ContainsKey(c.ID))
            .Select(c => inspected[c.ID])
            // A tool that keeps old attempts (cri-dockerd) has several containers of one name: the newest counts.
            .GroupBy(c => Label(c.Config?.Labels, DockerLabels.ContainerName) ?? c.Name.TrimStart('/'))
            .Select(g => g.OrderByDescending(c => c.Created).First())
            .OrderBy(c => c.Created)
            .Select(c => ToContainer(name, podCgroup, docker.UsesSystemd, c))
            .ToArray();
        var pod = new Pod
        {
            Name = name,
            Id = sandbox.ID,
            Uid = Label(labels, DockerLabels.PodUid) ?? "",
            Engine = PodEngineKind.Docker,
            State = running ? PodState.Ready : PodState.NotReady,
            Hostname = Label(labels, DockerLabels.Hostname) ?? sandbox.Config?.Hostname ?? "",
            // A remote daemon's pids name processes of another node: none to show here.
            PausePid = running && _endpoint.IsLocal && sandbox.State!.Pid > 0 ? (int)sandbox.State.Pid : null,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(sandbox.Created, DateTimeKind.Utc)),
            QosClass = qos,
            CgroupPath = podCgroup,
            Namespaces = new PodNamespaceModes
            {
                Network = hostNetwork ? NamespaceMode.Node : NamespaceMode.Pod,
                Ipc = hostIpc ? NamespaceMode.Node : NamespaceMode.Pod,
                // Docker cannot share a UTS namespace between containers: each container has its own, with the pod's hostname.
                Uts = hostNetwork ? NamespaceMode.Node : NamespaceMode.Container,
                Pid = hostPid ? NamespaceMode.Node : sharePid ? NamespaceMode.Pod : NamespaceMode.Container,
            },
            Labels = labels.Where(l => !IsSystemLabel(l.Key)).ToDictionary(l => l.Key, l => l.Value),
            Annotations = labels.Where(l => l.Key.StartsWith(DockerLabels.AnnotationPrefix, StringComparison.Ordinal))
                .ToDictionary(l => l.Key.Substring(DockerLabels.AnnotationPrefix.Length), l => l.Value),
            Volumes = DockerVolumes.Read(Label(labels, DockerLabels.Volumes)).ToArray(),
            TerminationGracePeriodSeconds = long.TryParse(Label(labels, DockerLabels.TerminationGracePeriod), out var grace) ? grace : 30,
            Containers = containers,
            EngineDetails = new DockerPodDetails
            {
                SandboxContainerId = sandbox.ID,
                SandboxContainerName = sandbox.Name.TrimStart('/'),
                SandboxImage = sandbox.Config?.Image ?? "",
                Namespace = Label(labels, DockerLabels.PodNamespace) ?? "",
                Endpoint = _endpoint.ToString(),
                ApiVersion = docker.ApiVersion.ToString(),
                CgroupDriver = docker.CgroupDriver,
                CgroupParent = cgroupParent,
                MadeByPodShell = Label(labels, DockerLabels.QosClass) is not null,
            },
        };
        FillNetwork(pod, sandbox, running);
        DockerPodSettings.Fill(pod, labels, sandbox.HostConfig);
        // As on the native engine, a namespace other than the default shows as the pod's label (and goes back into a manifest).
        if (Label(labels, DockerLabels.PodNamespace) is { } ns && ns != PodNamespace) pod.Labels[PodHostnames.NamespaceLabel] = ns;
        return pod;
    }

    /// <summary>A pod another tool made (cri-dockerd) says its QoS class only by where kubelet put its cgroup.</summary>
    private static QosClass QosFromCgroupParent(string parent) =>
        parent.Contains("besteffort", StringComparison.Ordinal) ? QosClass.BestEffort
        : parent.Contains("burstable", StringComparison.Ordinal) ? QosClass.Burstable
        : QosClass.Guaranteed;

    private static bool IsSystemLabel(string key) =>
        key.StartsWith("io.kubernetes.", StringComparison.Ordinal) || key.StartsWith(DockerLabels.Prefix, StringComparison.Ordinal) ||
        key.StartsWith(DockerLabels.AnnotationPrefix, StringComparison.Ordinal);

    private PodContainer ToContainer(string pod, string podCgroup, bool systemd, ContainerInspectResponse c)
    {
        var labels = c.Config?.Labels ?? new Dictionary<string, string>();
        var state = c.State ?? new global::Docker.DotNet.Models.State();
        var host = c.HostConfig ?? new HostConfig();
        var finished = ParseTime(state.FinishedAt);
        var exited = !state.Running && !state.Restarting && finished is not null;
        var sandboxPid = host.PidMode?.StartsWith("container:", StringComparison.Ordinal) == true;
        var argv = (c.Config?.Entrypoint ?? new List<string>()).Concat(c.Config?.Cmd ?? new List<string>()).ToArray();
        return new PodContainer
        {
            PodName = pod,
            Name = Label(labels, DockerLabels.ContainerName) ?? c.Name.TrimStart('/'),
            Id = c.ID,
            Image = c.Config?.Image ?? "",
            Command = argv,
            State = state.Restarting ? ContainerState.Waiting
                : state.Running ? ContainerState.Running
                : state.Status == "created" ? ContainerState.Created
                : state.Status is "exited" or "dead" ? ContainerState.Exited
                : ContainerState.Unknown,
            Pid = state.Running && _endpoint.IsLocal && state.Pid > 0 ? (int)state.Pid : null,
            ExitCode = exited ? (int)state.ExitCode : null,
            Reason = !exited ? (state.Restarting ? "CrashLoopBackOff" : null)
                : state.OOMKilled ? "OOMKilled" : state.ExitCode == 0 ? "Completed" : "Error",
            Message = string.IsNullOrEmpty(state.Error) ? null : state.Error,
            RestartCount = (int)c.RestartCount,
            RestartPolicy = FromDocker(host.RestartPolicy, Label(labels, DockerLabels.RestartPolicy)),
            PidMode = sandboxPid || host.PidMode == "host" ? PidMode.Pod : PidMode.Container,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
            StartedAt = ParseTime(state.StartedAt),
            FinishedAt = exited ? finished : null,
            MemoryLimit = host.Memory > 0 ? host.Memory : null,
            CpuLimitMilli = host.CPUQuota > 0 && host.CPUPeriod > 0 ? host.CPUQuota * 1000 / host.CPUPeriod
                : host.NanoCPUs > 0 ? host.NanoCPUs / 1_000_000 : null,
            PidsLimit = host.PidsLimit is > 0 ? host.PidsLimit : null,
            CgroupPath = DockerCgroupLayout.ContainerPath(podCgroup, c.ID, systemd),
            Environment = ParseEnvironment(c.Config?.Env),
            WorkingDirectory = string.IsNullOrEmpty(c.Config?.WorkingDir) ? null : c.Config!.WorkingDir,
            Mounts = DockerVolumes.ReadMounts(Label(labels, DockerLabels.Mounts)).ToArray(),
            Role = Enum.TryParse<ContainerRole>(Label(labels, DockerLabels.ContainerRole), out var role) ? role : ContainerRole.App,
            User = string.IsNullOrEmpty(c.Config?.User) ? null : c.Config!.User,
            Security = DockerSecurity.Read(host, labels),
            EngineDetails = new DockerContainerDetails
            {
                ContainerId = c.ID,
                ContainerName = c.Name.TrimStart('/'),
                ImageId = c.Image ?? "",
                Status = state.Status ?? "",
                NetworkMode = host.NetworkMode ?? "",
                IpcMode = host.IpcMode ?? "",
                PidMode = host.PidMode ?? "",
            },
        };
    }

    private static Model.RestartPolicy FromDocker(global::Docker.DotNet.Models.RestartPolicy? policy, string? label)
    {
        if (Enum.TryParse<Model.RestartPolicy>(label, out var recorded)) return recorded;
        return policy?.Name switch
        {
            RestartPolicyKind.Always or RestartPolicyKind.UnlessStopped => Model.RestartPolicy.Always,
            RestartPolicyKind.OnFailure => Model.RestartPolicy.OnFailure,
            _ => Model.RestartPolicy.Never,
        };
    }

    internal static RestartPolicyKind ToDocker(Model.RestartPolicy policy) => policy switch
    {
        Model.RestartPolicy.Always => RestartPolicyKind.Always,
        Model.RestartPolicy.OnFailure => RestartPolicyKind.OnFailure,
        _ => RestartPolicyKind.No,
    };

    /// <summary>Docker's times are RFC 3339 with nanoseconds; "0001-01-01T00:00:00Z" means never.</summary>
    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.StartsWith("0001-01-01", StringComparison.Ordinal)) return null;
        var trimmed = TrimFraction(text);
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    /// <summary>.NET parses at most 7 fractional digits: cut nanoseconds to ticks.</summary>
    internal static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.');
        if (dot < 0) return text;
        var end = dot + 1;
        while (end < text.Length && char.IsDigit(text[end])) end++;
        return end - dot - 1 > 7 ? text[..(dot + 8)] + text[end..] : text;
    }

    private static IDictionary<string, string> ParseEnvironment(IList<string>? env)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in env ?? Array.Empty<string>())
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) result[entry[..eq]] = entry[(eq + 1)..];
        }
        return result;
    }

    private ContainerInspectResponse? TryInspect(string id, CancellationToken cancel)
    {
        try
        {
            return Inspect(id, cancel);
        }
        catch (DockerContainerNotFoundException)
        {
            // Removed between the list and now.
            return null;
        }
    }
}
