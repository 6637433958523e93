using System;
using System.Collections.Generic;

namespace PodShell.Model;

/// <summary>A container of a pod: what it runs, where, and how it is doing.</summary>
public sealed class PodContainer
{
    public string PodName { get; set; } = "";
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    /// <summary>"host", the rootfs folder for -RootFs, or the image reference as given.</summary>
    public string Image { get; set; } = "";
    /// <summary>The stored image's id (its config digest), for an image from a registry or an archive.</summary>
    public string? ImageId { get; set; }
    /// <summary>The registry digest the image was pulled by (index or manifest), sha256:...; the manifest's for archive loads.</summary>
    public string? ImageDigest { get; set; }
    public string[] Command { get; set; } = Array.Empty<string>();
    public ContainerState State { get; set; }
    /// <summary>The container's first process as the node sees it, while running.</summary>
    public int? Pid { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>Completed, Error, OOMKilled, CrashLoopBackOff, StartError.</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public int RestartCount { get; set; }
    public RestartPolicy RestartPolicy { get; set; }
    public PidMode PidMode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The memory limit in bytes; null for none.</summary>
    public long? MemoryLimit { get; set; }
    /// <summary>The CPU limit in millicores; null for none.</summary>
    public long? CpuLimitMilli { get; set; }
    /// <summary>The memory request in bytes (the limit when only a limit was given); null for none.</summary>
    public long? MemoryRequest { get; set; }
    /// <summary>The CPU request in millicores (the limit when only a limit was given); null for none.</summary>
    public long? CpuRequestMilli { get; set; }
    /// <summary>The most processes (and threads) the container may have; null for none set by PodShell.</summary>
    public long? PidsLimit { get; set; }
    /// <summary>Raw cgroup values set with Set-PodCgroupLimit (-CpuShares, -CpuWeight, -Unified), by file.</summary>
    public IDictionary<string, string> CgroupOverrides { get; set; } = new Dictionary<string, string>();
    public string CgroupPath { get; set; } = "";
    public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; set; }
    public string? User { get; set; }
    public ContainerMount[] Mounts { get; set; } = Array.Empty<ContainerMount>();
    public ContainerRole Role { get; set; }
    /// <summary>Privileged, capabilities, no_new_privs, read-only root and seccomp profile as the engine applies them.</summary>
    public PodContainerSecurity Security { get; set; } = new();
    /// <summary>What only the container's engine knows (NativeContainerDetails: state folder, log file).</summary>
    public ContainerEngineDetails? EngineDetails { get; set; }

    /// <summary>Lets a container bind by property name to -Container of Invoke-PodCommand and Get-PodLog (a Pod has no such property).</summary>
    public string ContainerName => Name;

    public override string ToString() => $"{PodName}/{Name}";
}
