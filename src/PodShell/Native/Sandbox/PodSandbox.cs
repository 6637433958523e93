using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Native.Host;
using PodShell.Protocol;
using PodShell.State;

namespace PodShell.Native.Sandbox;

/// <summary>
/// The pod's sandbox (CRI's RunPodSandbox and StopPodSandbox): the files its containers share, the pause process
/// podshell-init starts in the pod's new namespaces, the pinned network namespace and the pod's /dev/shm.
/// </summary>
internal sealed class PodSandbox(StateStore store, CgroupManager cgroups, IInitRunner init, IProcessTable processes)
{
    private const string ShmFolder = "shm";
    private static readonly TimeSpan PauseGrace = TimeSpan.FromSeconds(2);

    public bool IsAlive(PodRecord record) => processes.IsAlive(record.PauseProcess());

    /// <summary>The bind mount that names the pod's network namespace (for CNI plugins and nsenter).</summary>
    public string NetnsPath(string pod) => Path.Combine(store.PodDirectory(pod), Status.PodStatusMapper.NetnsPinFile);

    /// <summary>The pod's /etc/hostname, /etc/hosts and /etc/resolv.conf, bound into every container.</summary>
    public void WriteFiles(PodRecord record)
    {
        var directory = store.PodDirectory(record.Name);
        File.WriteAllText(Path.Combine(directory, "hostname"), record.Hostname + "\n");
        WriteHosts(record, ip: null);
        var resolv = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        File.WriteAllText(Path.Combine(directory, "resolv.conf"), resolv);
    }

    /// <summary>
    /// The pod's /etc/hosts as kubelet writes it: its hostname (and FQDN) on its address (127.0.1.1 until it has one), then its
    /// hostAliases. Rewritten in place, since running containers bind this very file.
    /// </summary>
    public void WriteHosts(PodRecord record, string? ip) =>
        File.WriteAllText(Path.Combine(store.PodDirectory(record.Name), "hosts"), PodHostnames.HostsFile(ip, record.Hostname, record.Fqdn, record.HostAliases));

    /// <summary>podshell-init sandbox: the namespaces, then the pause as their first process; records the pause.</summary>
    public void Start(PodRecord record, CancellationToken cancel)
    {
        var directory = store.PodDirectory(record.Name);
        var spec = new SandboxSpec
        {
            StateDirectory = directory,
            Hostname = record.Hostname,
            HostNetwork = record.Namespaces.Network == NamespaceMode.Node,
            HostIpc = record.Namespaces.Ipc == NamespaceMode.Node,
            HostPid = record.Namespaces.Pid == NamespaceMode.Node,
            CgroupProcs = cgroups.ProcsFiles(PodCgroupLayout.PausePath(record.CgroupPath)).ToList(),
            ShmPath = record.Namespaces.Ipc == NamespaceMode.Node ? "" : Path.Combine(directory, ShmFolder),
            NetnsPinPath = record.Namespaces.Network == NamespaceMode.Node ? "" : NetnsPath(record.Name),
            OomScoreAdj = OomScorePolicy.Pause,
            Sysctls = new Dictionary<string, string>(record.Sysctls),
        };
        if (spec.ShmPath.Length > 0) Directory.CreateDirectory(spec.ShmPath);
        if (spec.NetnsPinPath.Length > 0) File.WriteAllBytes(spec.NetnsPinPath, Array.Empty<byte>());
        var config = Path.Combine(directory, "sandbox.json");
        StateStore.Write(config, spec);
        var result = init.Run<SandboxResult>(new[] { "sandbox", "--config", config, "--parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, InitRunner.AnswerTimeout, cancel);
        if (!result.Ok)
        {
            throw new PodEngineException(ErrorIds.SandboxFailed, ErrorCategory.InvalidOperation, record.Name,
                $"The sandbox of pod '{record.Name}' could not be made: {result.Error}");
        }
        record.PausePid = result.PausePid;
        record.PauseStartTime = result.PauseStartTime;
    }

    /// <summary>SIGTERM to the pause (it exits at once), SIGKILL after a short grace.</summary>
    public void Stop(PodRecord record, CancellationToken cancel)
    {
        if (record.PausePid > 0) processes.Terminate(record.PauseProcess(), PauseGrace, cancel);
    }

    /// <summary>A pause whose pid was never recorded (pwsh died mid-create) is still found by its cgroup.</summary>
    public void KillUnrecorded(PodRecord record)
    {
        if (string.IsNullOrEmpty(record.CgroupPath)) return;
        var pauseCgroup = PodCgroupLayout.PausePath(record.CgroupPath);
        if (!cgroups.Exists(pauseCgroup)) return;
        foreach (var pid in cgroups.GetProcesses(pauseCgroup)) processes.Signal(pid, Libc.SIGKILL);
    }

    /// <summary>Unmounts the netns pin and the pod's /dev/shm.</summary>
    public void ReleaseMounts(PodRecord record)
    {
        var directory = store.PodDirectory(record.Name);
        // Each unmount waits out an RCU grace period in the kernel: the two overlap.
        Parallel.Invoke(
            () => Mounts.Unmount(NetnsPath(record.Name)),
            () => Mounts.Unmount(Path.Combine(directory, ShmFolder)));
    }
}
