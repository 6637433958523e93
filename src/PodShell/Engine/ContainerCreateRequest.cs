using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>What Add-PodContainer asks an engine for.</summary>
public sealed class ContainerCreateRequest
{
    public string Name { get; set; } = "";
    /// <summary>"host" for the node's own root as a read-only lower layer; ignored when RootFs is set.</summary>
    public string Image { get; set; } = "host";
    public string? RootFs { get; set; }
    /// <summary>argv: the command and then its arguments (what runs for host and -RootFs images).</summary>
    public List<string> Args { get; set; } = new();
    /// <summary>For a stored image: Kubernetes' command, replacing the image's Entrypoint (null: the image's).</summary>
    public List<string>? Command { get; set; }
    /// <summary>For a stored image: Kubernetes' args, replacing the image's Cmd (null: the image's, unless Command is set).</summary>
    public List<string>? Arguments { get; set; }
    /// <summary>When a stored image is pulled; null: Kubernetes' default (Always for :latest, else IfNotPresent).</summary>
    public PullPolicy? PullPolicy { get; set; }
    public Dictionary<string, string> Environment { get; set; } = new();
    public string? WorkingDirectory { get; set; }
    public string? User { get; set; }
    public RestartPolicy RestartPolicy { get; set; } = RestartPolicy.Always;
    /// <summary>Null: the pod's choice (Pod when it shares its process namespace, else Container).</summary>
    public PidMode? PidMode { get; set; }
    public long? MemoryLimit { get; set; }
    public long? CpuLimitMilli { get; set; }
    /// <summary>The pod's volumes this container mounts.</summary>
    public List<ContainerMount> Mounts { get; set; } = new();
    /// <summary>App (the default), Init (runs to completion before the app containers) or Sidecar.</summary>
    public ContainerRole Role { get; set; } = ContainerRole.App;
    /// <summary>Where long steps (an image pull) report progress; called on the caller's thread. Null: none.</summary>
    public IEngineProgress? Progress { get; set; }
    /// <summary>Null: the limit, when one is given (Kubernetes' defaulting).</summary>
    public long? MemoryRequest { get; set; }
    public long? CpuRequestMilli { get; set; }
    public long? PidsLimit { get; set; }

    /// <summary>The requests and limits as given (requests not yet defaulted to limits).</summary>
    public ResourceRequirements ToResources() => new()
    {
        CpuRequestMilli = CpuRequestMilli, CpuLimitMilli = CpuLimitMilli,
        MemoryRequest = MemoryRequest, MemoryLimit = MemoryLimit, PidsLimit = PidsLimit,
    };
    /// <summary>Every capability, every device, no seccomp filter, no masked paths (Kubernetes' privileged).</summary>
    public bool Privileged { get; set; }
    /// <summary>RuntimeDefault (the default), Unconfined, or the path of a profile file in the OCI/Docker format.</summary>
    public string? SeccompProfile { get; set; }
    /// <summary>Kubernetes' capabilities.add: names such as NET_ADMIN (CAP_ prefix accepted), or ALL.</summary>
    public List<string> AddCapabilities { get; set; } = new();
    /// <summary>Kubernetes' capabilities.drop; ALL drops every one, and the added ones are then given back.</summary>
    public List<string> DropCapabilities { get; set; } = new();
    /// <summary>
    /// Kubernetes' allowPrivilegeEscalation. Null or true: no no_new_privs (Kubernetes' and Docker's default); false:
    /// no_new_privs is set, so setuid files and file capabilities give nothing at exec.
    /// </summary>
    public bool? AllowPrivilegeEscalation { get; set; }
    /// <summary>The container's root is mounted read-only; volumes, /dev, /dev/shm and the pod's /etc files stay writable.</summary>
    public bool ReadOnlyRootFilesystem { get; set; }
    /// <summary>Kubernetes' runAsNonRoot: the engine refuses the container when its user (its own, else its image's) is root or a name.</summary>
    public bool RunAsNonRoot { get; set; }
}
