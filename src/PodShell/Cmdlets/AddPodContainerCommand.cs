using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Creates a container in a pod (joining its net, ipc and uts namespaces) and starts it.</summary>
[Cmdlet(VerbsCommon.Add, "PodContainer", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet)]
[OutputType(typeof(PodContainer))]
public sealed class AddPodContainerCommand : PodEngineCmdletBase
{
    private const string ImageSet = "Image";
    private const string RootFsSet = "RootFs";

    /// <summary>The pod, by name; a Pod object binds through its PodName property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "host";

    [Parameter(Mandatory = true, ParameterSetName = RootFsSet)]
    [ValidateNotNullOrEmpty]
    public string RootFs { get; set; } = "";

    /// <summary>The command and, optionally, its arguments (like Kubernetes' command: it replaces an image's Entrypoint).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>More arguments after -Command (like Kubernetes' args: they replace an image's Cmd).</summary>
    [Parameter]
    [Alias("Args")]
    public string[]? Argument { get; set; }

    [Parameter]
    [Alias("Env")]
    public Hashtable? Environment { get; set; }

    [Parameter]
    public string? WorkingDirectory { get; set; }

    /// <summary>uid, uid:gid, or a user name from the image's /etc/passwd.</summary>
    [Parameter]
    public string? User { get; set; }

    [Parameter]
    public RestartPolicy RestartPolicy { get; set; } = RestartPolicy.Always;

    /// <summary>When to pull a registry image: Always, IfNotPresent, Never (default as Kubernetes: Always for :latest or no tag).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    public PullPolicy PullPolicy { get; set; }

    [Parameter]
    public PidMode PidMode { get; set; }

    /// <summary>Memory limit: bytes (256MB) or a Kubernetes quantity (256Mi). -Memory is its short name.</summary>
    [Parameter]
    [Alias("Memory")]
    public string? MemoryLimit { get; set; }

    /// <summary>CPU limit: cores (0.5) or a Kubernetes quantity (500m). -Cpu is its short name.</summary>
    [Parameter]
    [Alias("Cpu")]
    public string? CpuLimit { get; set; }

    /// <summary>Memory request (the scheduler's and oom_score_adj's input); the limit when left out and a limit is given.</summary>
    [Parameter]
    public string? MemoryRequest { get; set; }

    /// <summary>CPU request (cpu.shares comes from it); the limit when left out and a limit is given.</summary>
    [Parameter]
    public string? CpuRequest { get; set; }

    /// <summary>The most processes (and threads) the container may have (pids.max).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? PidsLimit { get; set; }

    /// <summary>Every capability and device, no seccomp filter, no masked paths (Kubernetes' privileged: true).</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>RuntimeDefault (the default), Unconfined, or the path of a profile file in the OCI/Docker JSON format.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SeccompProfile { get; set; }

    /// <summary>Capabilities added to the default set (Kubernetes' capabilities.add): NET_ADMIN, SYS_TIME..., or ALL.</summary>
    [Parameter]
    [Alias("CapAdd")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CapabilityCompleter))]
    public string[]? AddCapability { get; set; }

    /// <summary>Capabilities dropped (Kubernetes' capabilities.drop): NET_RAW, CHOWN..., or ALL (then -AddCapability gives some back).</summary>
    [Parameter]
    [Alias("CapDrop")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CapabilityCompleter))]
    public string[]? DropCapability { get; set; }

    /// <summary>Sets no_new_privs (Kubernetes' allowPrivilegeEscalation: false): setuid files and file capabilities give nothing.</summary>
    [Parameter]
    public SwitchParameter NoNewPrivileges { get; set; }

    /// <summary>Mounts the container's root read-only (Kubernetes' readOnlyRootFilesystem); volumes and /dev/shm stay writable.</summary>
    [Parameter]
    [Alias("ReadOnly")]
    public SwitchParameter ReadOnlyRootFilesystem { get; set; }

    /// <summary>Refuses to make the container unless its user (-User, else the image's) is a uid other than 0 (Kubernetes' runAsNonRoot).</summary>
    [Parameter]
    public SwitchParameter RunAsNonRoot { get; set; }

    /// <summary>Only create the container; Start-PodContainer starts it.</summary>
    [Parameter]
    public SwitchParameter NoStart { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Pod}/{Name}", "Add container")) return;
        var request = new ContainerCreateRequest
        {
            Name = Name,
            Image = Image,
            RootFs = ParameterSetName == RootFsSet ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(RootFs) : null,
            Args = (Command ?? Array.Empty<string>()).Concat(Argument ?? Array.Empty<string>()).ToList(),
            Command = Command?.ToList(),
            Arguments = Argument?.ToList(),
            PullPolicy = MyInvocation.BoundParameters.ContainsKey(nameof(PullPolicy)) ? PullPolicy : null,
            WorkingDirectory = WorkingDirectory,
            User = User,
            RestartPolicy = RestartPolicy,
            PidMode = MyInvocation.BoundParameters.ContainsKey(nameof(PidMode)) ? PidMode : null,
            Privileged = Privileged,
            SeccompProfile = Security.SeccompProfile.KindOf(SeccompProfile) != PodContainerSecurity.Localhost ? SeccompProfile
                : SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeccompProfile),
            AddCapabilities = AddCapability?.ToList() ?? new List<string>(),
            DropCapabilities = DropCapability?.ToList() ?? new List<string>(),
            AllowPrivilegeEscalation = NoNewPrivileges ? false : null,
            ReadOnlyRootFilesystem = ReadOnlyRootFilesystem,
            RunAsNonRoot = RunAsNonRoot,
        };
        foreach (var (name, value) in HashtableArguments.ToStrings(Environment)) request.Environment[name] = value;
        try
        {
            request.MemoryLimit = QuantityArguments.Memory(MemoryLimit);
            request.CpuLimitMilli = QuantityArguments.Cpu(CpuLimit);
            request.MemoryRequest = QuantityArguments.Memory(MemoryRequest);
            request.CpuRequestMilli = QuantityArguments.Cpu(CpuRequest);
            request.PidsLimit = PidsLimit;
        }
        catch (FormatException e)
        {
            WriteError(MakeError(ErrorIds.InvalidQuantity, ErrorCategory.InvalidArgument, MemoryLimit ?? CpuLimit ?? MemoryRequest ?? CpuRequest, e.Message,
                QuantityArguments.Advice, e));
            return;
        }
        var engine = FindEngine(Pod);
        if (engine is null) return;
        request.Progress = new CmdletProgress(this);
        RunItem(() =>
        {
            PullWithProgress(engine, request);
            PodContainer container;
            try
            {
                container = engine.AddContainer(Pod, request, !NoStart, Cancellation);
            }
            catch (PodEngineException e) when (e.ErrorId == ErrorIds.CommandNotFound && Command is { Length: 1 } && Command[0].Trim().Contains(' '))
            {
                var words = Command[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                throw new PodEngineException(e.ErrorId, e.Category, e.Target,
                    $"There is no command named '{Command[0]}' (one word, spaces included): -Command takes the command and its arguments as a list.",
                    $"Separate them with commas: -Command {string.Join(",", words)}.", e);
            }
            WriteVerbose(VerboseText.ContainerCreated(container, !NoStart));
            WriteObject(container);
        });
    }

    /// <summary>
    /// An image the engine's store pulls is pulled here first, so its progress shows; the engine then finds it
    /// present (the policy has been honoured once, as the kubelet does per container start).
    /// </summary>
    private void PullWithProgress(IPodEngine engine, ContainerCreateRequest request)
    {
        if (request.RootFs is not null || request.Image == "host" || engine is not IImageService images) return;
        var policy = request.PullPolicy ?? Images.LocalImageService.DefaultPolicy(request.Image);
        var pump = new ImageProgressPump(this);
        pump.Run(() => images.EnsureImage(request.Image, policy, null, pump, Cancellation));
        if (policy == PullPolicy.Always) request.PullPolicy = PullPolicy.IfNotPresent;
    }
}
