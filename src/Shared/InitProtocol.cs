// The contract between PodShell.dll and podshell-init. Compiled into both (linked source):
// the module writes these as JSON files into the state folders, podshell-init reads them and
// answers with a result object as one JSON line on stdout. Property names are camelCase on disk, enums
// their names. podshell-init's reader (InitJson) rejects a field or value it does not know, and
// tests/PodShell.Tests round-trips every type here, so a field added on one side only fails a test.
using System;
using System.Collections.Generic;

namespace PodShell.Protocol;

/// <summary>A namespace of the pod's pause that a container joins.</summary>
public enum SharedNamespace { Net, Ipc, Uts, Pid }

/// <summary>When the shim starts a container's command again (Kubernetes' restartPolicy).</summary>
public enum ShimRestartPolicy { Always, OnFailure, Never }

/// <summary>What a container's command is doing, as its shim records it in status.json.</summary>
public enum ContainerRunState { Running, Waiting, Exited }

/// <summary>`podshell-init sandbox --config FILE`: makes the pod's namespaces and its pause process.</summary>
public sealed class SandboxSpec
{
    /// <summary>The pod's state folder.</summary>
    public string StateDirectory { get; set; } = "";
    public string Hostname { get; set; } = "";
    /// <summary>Stay in the node's net (and uts) namespace instead of making new ones.</summary>
    public bool HostNetwork { get; set; }
    public bool HostIpc { get; set; }
    /// <summary>The pause runs in the node's pid namespace instead of being PID 1 of a new one.</summary>
    public bool HostPid { get; set; }
    /// <summary>cgroup.procs files (one per hierarchy) the sandbox joins before anything else, so pause is born inside.</summary>
    public List<string> CgroupProcs { get; set; } = new();
    /// <summary>Where to mount the pod's /dev/shm tmpfs on the node (empty with HostIpc).</summary>
    public string ShmPath { get; set; } = "";
    public long ShmSizeBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>An existing empty file on which the pause's net namespace is bind-mounted (empty with HostNetwork).</summary>
    public string NetnsPinPath { get; set; } = "";
    /// <summary>oom_score_adj of the pause (kubelet: -998); null leaves the inherited one.</summary>
    public int? OomScoreAdj { get; set; }
    /// <summary>Namespaced sysctls (canonical dotted names) written into the new net/ipc namespaces before the pause starts.</summary>
    public Dictionary<string, string> Sysctls { get; set; } = new();
}

public sealed class SandboxResult
{
    public bool Ok { get; set; }
    public int PausePid { get; set; }
    /// <summary>Field 22 of /proc/PID/stat (clock ticks since boot): with the pid, identifies the process across pid reuse.</summary>
    public ulong PauseStartTime { get; set; }
    public string? Error { get; set; }
}

public sealed class BindMount
{
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public bool ReadOnly { get; set; } = true;
}

public sealed class RootfsSpec
{
    /// <summary>Read-only lower layers of the overlay, top first ("/" for the host image, the folder for -RootFs).</summary>
    public List<string> LowerDirs { get; set; } = new();
    /// <summary>Further node mounts to bind into the rootfs (the host image on nodes with a separate /usr, /opt...).</summary>
    public List<BindMount> Binds { get; set; } = new();
    public bool ReadOnly { get; set; }
}

/// <summary>`podshell-init shim --config FILE` (and `exec --config FILE`): one container.</summary>
public sealed class ContainerSpec
{
    public string PodName { get; set; } = "";
    public string ContainerName { get; set; } = "";
    /// <summary>The container's state folder: status.json, container.log and shim.log are written here.</summary>
    public string StateDirectory { get; set; } = "";
    public int PausePid { get; set; }
    public ulong PauseStartTime { get; set; }
    /// <summary>Namespaces joined from the pause: net, ipc, uts, and pid when the pod shares it.</summary>
    public List<SharedNamespace> JoinNamespaces { get; set; } = new();
    /// <summary>True for PidMode Container: the container's first process is PID 1 of a pid namespace of its own.</summary>
    public bool NewPidNamespace { get; set; } = true;
    /// <summary>cgroup.procs files of the container's leaf cgroup; the container process joins them before its command runs.</summary>
    public List<string> CgroupProcs { get; set; } = new();
    /// <summary>memory.oom_control (v1) or memory.events (v2) of the leaf, read to tell OOMKilled from other kills.</summary>
    public string? OomEventsFile { get; set; }
    /// <summary>oom_score_adj of the container's process, per its pod's QoS class (kubelet's policy); null leaves the inherited one.</summary>
    public int? OomScoreAdj { get; set; }
    public RootfsSpec Rootfs { get; set; } = new();
    /// <summary>The pod's shm folder on the node, bound at /dev/shm.</summary>
    public string? ShmSource { get; set; }
    public string? HostnameFile { get; set; }
    public string? HostsFile { get; set; }
    public string? ResolvConfFile { get; set; }
    /// <summary>argv; Args[0] is the command, looked up in the container's PATH when it has no slash.</summary>
    public List<string> Args { get; set; } = new();
    public Dictionary<string, string> Environment { get; set; } = new();
    public string WorkingDirectory { get; set; } = "/";
    /// <summary>"uid", "uid:gid", "name" or "name:group", resolved in the container's /etc/passwd and /etc/group; null for root.</summary>
    public string? User { get; set; }
    /// <summary>Gids added to the user's supplementary groups (the pod's supplementalGroups and fsGroup), in start and exec.</summary>
    public List<uint> SupplementalGroups { get; set; } = new();
    /// <summary>Also the groups /etc/group lists for a named user (Kubernetes' supplementalGroupsPolicy Merge); false: Strict.</summary>
    public bool GroupFileGroups { get; set; } = true;
    public ShimRestartPolicy RestartPolicy { get; set; } = ShimRestartPolicy.Always;
    public int BackoffBaseMilliseconds { get; set; } = 10_000;
    public int BackoffMaxMilliseconds { get; set; } = 300_000;
    /// <summary>A run at least this long resets the backoff.</summary>
    public int BackoffResetMilliseconds { get; set; } = 600_000;
    /// <summary>Capability names (CAP_CHOWN, ...) the container keeps; all others are dropped from every set.</summary>
    public List<string> Capabilities { get; set; } = new();
    public bool NoNewPrivileges { get; set; } = true;
    public List<string> MaskedPaths { get; set; } = new();
    public List<string> ReadonlyPaths { get; set; } = new();
    /// <summary>The signal the shim sends the container to stop it (the image's StopSignal; SIGTERM by default).</summary>
    public int StopSignal { get; set; } = 15;
    /// <summary>container.log is rotated at this size, as kubelet's containerLogMaxSize (10Mi); 0: never.</summary>
    public long LogMaxSizeBytes { get; set; } = 10L * 1024 * 1024;
    /// <summary>How many log files are kept, the current one included, as kubelet's containerLogMaxFiles (5).</summary>
    public int LogMaxFiles { get; set; } = 5;
    /// <summary>The seccomp filter loaded last before the command runs (start and exec); null: none (Unconfined, privileged).</summary>
    public SeccompSpec? Seccomp { get; set; }
    /// <summary>Where podshell-init keeps the compiled program of this profile (named by the profile's hash); null: compiled at every start.</summary>
    public string? SeccompCacheFile { get; set; }
}

/// <summary>
/// A seccomp profile already resolved for one container (the OCI/Docker format's includes and excludes applied):
/// what podshell-init hands to libseccomp. Actions and architectures use libseccomp's names (SCMP_ACT_ERRNO, SCMP_ARCH_X86).
/// </summary>
public sealed class SeccompSpec
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ERRNO";
    public int? DefaultErrnoRet { get; set; }
    /// <summary>Architectures the filter also covers besides the native one (x86 and x32 on x86_64, arm on aarch64).</summary>
    public List<string> Architectures { get; set; } = new();
    public List<SeccompRule> Syscalls { get; set; } = new();
}

public sealed class SeccompRule
{
    /// <summary>Syscall names; names the kernel's libseccomp does not know are skipped, as runc does.</summary>
    public List<string> Names { get; set; } = new();
    public string Action { get; set; } = "SCMP_ACT_ALLOW";
    public int? ErrnoRet { get; set; }
    /// <summary>All must match (one comparison per argument index; repeated indexes become rules of their own).</summary>
    public List<SeccompArg> Args { get; set; } = new();
}

public sealed class SeccompArg
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    /// <summary>SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT or _MASKED_EQ.</summary>
    public string Op { get; set; } = "SCMP_CMP_EQ";
}

/// <summary>What `podshell-init shim` prints once the container's command is running (or failed to start).</summary>
public sealed class StartResult
{
    public bool Ok { get; set; }
    public int ShimPid { get; set; }
    public ulong ShimStartTime { get; set; }
    public int Pid { get; set; }
    public ulong PidStartTime { get; set; }
    public string? Error { get; set; }
    /// <summary>When the first start failed: the start stage's exit code (127: the command is not in the image).</summary>
    public int? ExitCode { get; set; }
}

/// <summary>status.json in the container's state folder, written by the shim (temp file + rename) at every change.</summary>
public sealed class ContainerStatus
{
    /// <summary>Running, Waiting (restart backoff) or Exited.</summary>
    public ContainerRunState State { get; set; } = ContainerRunState.Running;
    public int Pid { get; set; }
    public ulong PidStartTime { get; set; }
    public int ShimPid { get; set; }
    public ulong ShimStartTime { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>Completed, Error, OOMKilled, CrashLoopBackOff, StartError.</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public int RestartCount { get; set; }
    public DateTimeOffset? NextRestartAt { get; set; }
    /// <summary>The run before this one, once the shim restarted the container (Kubernetes' lastState.terminated).</summary>
    public DateTimeOffset? LastStartedAt { get; set; }
    public DateTimeOffset? LastFinishedAt { get; set; }
    public int? LastExitCode { get; set; }
    public string? LastReason { get; set; }
}
