using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Volumes;
using PodShell.Protocol;
using PodShell.Security;
using PodShell.State;

namespace PodShell.Native.Spec;

/// <summary>
/// The shim's config.json of a container (containerd's container spec opts in one place): which of the pod's
/// namespaces it joins, its cgroup, rootfs and volumes, the pod's files, its process and its security.
/// Built at every start, since the pause changes when a stopped pod gets a new sandbox.
/// </summary>
internal sealed class ContainerSpecBuilder(StateStore store, CgroupManager cgroups, PodVolumes volumes)
{
    /// <summary>Overrides kubelet's 10 s restart backoff base (milliseconds), so tests need not wait.</summary>
    public const string BackoffBaseVariable = "PODSHELL_BACKOFF_BASE_MS";
    private const int DefaultBackoffMilliseconds = 10_000;

    /// <param name="podContainers">Every container of the pod (for the Burstable oom_score_adj share of a pod-level request).</param>
    public ContainerSpec Build(PodRecord pod, ContainerRecord record, IReadOnlyList<ContainerRecord> podContainers)
    {
        var podDirectory = store.PodDirectory(pod.Name);
        var join = new List<SharedNamespace> { SharedNamespace.Net, SharedNamespace.Ipc, SharedNamespace.Uts };
        var sharesPodPid = record.PidMode == PidMode.Pod || pod.Namespaces.Pid == NamespaceMode.Node;
        if (sharesPodPid) join.Add(SharedNamespace.Pid);
        var env = new Dictionary<string, string>(record.Environment);
        env.TryAdd("HOSTNAME", pod.Hostname);
        var masked = record.Privileged ? new List<string>() : ContainerDefaults.MaskedPaths.ToList();
        // The host image shows the node's root, and with it every pod's state (other containers' specs and environments).
        if (record.Image == HostImage.Name) masked.AddRange(ContainerSecurity.StateRoots(store.Root));
        var seccomp = ContainerSecurity.Seccomp(record);
        return new ContainerSpec
        {
            PodName = pod.Name,
            ContainerName = record.Name,
            StateDirectory = store.ContainerDirectory(pod.Name, record.Name),
            PausePid = pod.PausePid,
            PauseStartTime = pod.PauseStartTime,
            JoinNamespaces = join,
            NewPidNamespace = !sharesPodPid,
            CgroupProcs = cgroups.ProcsFiles(record.CgroupPath).ToList(),
            OomEventsFile = cgroups.OomEventsFile(record.CgroupPath),
            OomScoreAdj = OomScorePolicy.ForContainer(pod.QosClass, record.ToResources(), podContainers.Select(c => c.ToResources()).ToList(), pod.Resources, NodeMemory.Total),
            Rootfs = Rootfs(pod, record),
            ShmSource = pod.Namespaces.Ipc == NamespaceMode.Node ? "/dev/shm" : Path.Combine(podDirectory, "shm"),
            HostnameFile = Path.Combine(podDirectory, "hostname"),
            HostsFile = Path.Combine(podDirectory, "hosts"),
            ResolvConfFile = Path.Combine(podDirectory, "resolv.conf"),
            Args = record.Args,
            Environment = env,
            WorkingDirectory = record.WorkingDirectory ?? "/",
            User = record.User,
            SupplementalGroups = PodGroupRules.ForContainers(pod.SupplementalGroups, pod.FsGroup).Select(g => (uint)g).ToList(),
            GroupFileGroups = pod.SupplementalGroupsPolicy != "Strict",
            RestartPolicy = record.RestartPolicy switch
            {
                RestartPolicy.Never => ShimRestartPolicy.Never,
                RestartPolicy.OnFailure => ShimRestartPolicy.OnFailure,
                _ => ShimRestartPolicy.Always,
            },
            BackoffBaseMilliseconds = BackoffBase,
            LogMaxSizeBytes = ContainerLogSettings.MaxSize,
            LogMaxFiles = ContainerLogSettings.MaxFiles,
            Capabilities = ContainerSecurity.Capabilities(record).ToList(),
            NoNewPrivileges = ContainerSecurity.NoNewPrivileges(record),
            MaskedPaths = masked,
            ReadonlyPaths = record.Privileged ? new List<string>() : ContainerDefaults.ReadonlyPaths.ToList(),
            StopSignal = record.StopSignal,
            Seccomp = seccomp,
            SeccompCacheFile = SeccompProgramCache.FileFor(seccomp),
        };
    }

    /// <summary>The image's layers (a stored image), the node's root (host) or a -RootFs folder as the overlay's lowers, plus the volumes.</summary>
    private RootfsSpec Rootfs(PodRecord pod, ContainerRecord record)
    {
        var rootfs = record.LowerDirs is { Count: > 0 } layers ? new RootfsSpec { LowerDirs = layers }
            : record.Image == HostImage.Name ? HostImage.Rootfs() : new RootfsSpec { LowerDirs = new List<string> { record.Image } };
        rootfs.Binds.AddRange(volumes.Binds(pod, record));
        rootfs.ReadOnly = record.ReadOnlyRootFilesystem;
        return rootfs;
    }

    private static int BackoffBase =>
        int.TryParse(Environment.GetEnvironmentVariable(BackoffBaseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? ms : DefaultBackoffMilliseconds;
}
