using System;
using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.State;

/// <summary>container.json: how a container was asked for. Its run state is in status.json, written by its shim.</summary>
public sealed class ContainerRecord
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    /// <summary>"host", the -RootFs folder, or the image reference as given.</summary>
    public string Image { get; set; } = "";
    /// <summary>For a stored image: its id (config digest), the digest pulled, and its layer folders (top first).</summary>
    public string? ImageId { get; set; }
    public string? ImageDigest { get; set; }
    public List<string>? LowerDirs { get; set; }
    public int StopSignal { get; set; } = 15;
    public List<string> Args { get; set; } = new();
    public Dictionary<string, string> Environment { get; set; } = new();
    public string? WorkingDirectory { get; set; }
    public string? User { get; set; }
    public RestartPolicy RestartPolicy { get; set; }
    public PidMode PidMode { get; set; }
    public long? MemoryLimit { get; set; }
    public long? CpuLimitMilli { get; set; }
    /// <summary>Requests as given (null: defaults to the limit).</summary>
    public long? CpuRequestMilli { get; set; }
    public long? MemoryRequest { get; set; }
    public long? PidsLimit { get; set; }
    /// <summary>Raw cgroup values set with Set-PodCgroupLimit (-CpuShares, -CpuWeight, -Unified).</summary>
    public Engine.RawCgroupValues? RawCgroup { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CgroupPath { get; set; } = "";
    public int ShimPid { get; set; }
    public ulong ShimStartTime { get; set; }
    public bool Complete { get; set; }
    public List<ContainerMount> Mounts { get; set; } = new();
    public ContainerRole Role { get; set; }
    public bool Privileged { get; set; }
    /// <summary>RuntimeDefault, Unconfined or Localhost (then SeccompProfileJson holds the file as it was at create, as kubelet reads it once).</summary>
    public string? SeccompProfile { get; set; }
    public string? SeccompProfileJson { get; set; }
    /// <summary>For Localhost: the file the profile was read from (shown, and exported as localhostProfile).</summary>
    public string? SeccompProfilePath { get; set; }
    /// <summary>Kubernetes' capabilities.add and .drop as asked, normalized (NET_ADMIN, ALL).</summary>
    public List<string>? AddCapabilities { get; set; }
    public List<string>? DropCapabilities { get; set; }
    /// <summary>False sets no_new_privs; null or true: none (Kubernetes' default).</summary>
    public bool? AllowPrivilegeEscalation { get; set; }
    public bool ReadOnlyRootFilesystem { get; set; }
    public bool RunAsNonRoot { get; set; }

    /// <summary>The container's requests and limits as the QoS and cgroup policies take them.</summary>
    public ResourceRequirements ToResources() => new()
    {
        CpuRequestMilli = CpuRequestMilli, CpuLimitMilli = CpuLimitMilli,
        MemoryRequest = MemoryRequest, MemoryLimit = MemoryLimit, PidsLimit = PidsLimit,
    };

    /// <summary>The container's shim by pid and start time (pid 0 before it started).</summary>
    public Linux.ProcessIdentity ShimProcess() => new(ShimPid, ShimStartTime);
}
