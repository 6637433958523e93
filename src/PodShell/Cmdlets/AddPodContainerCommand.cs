using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Cgroups;
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

    /// <summary>The command and, optionally, its arguments (like Kubernetes' command).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = Array.Empty<string>();

    /// <summary>More arguments after -Command (like Kubernetes' args).</summary>
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

    [Parameter]
    public PidMode PidMode { get; set; }

    /// <summary>Memory limit: bytes (256MB) or a Kubernetes quantity (256Mi).</summary>
    [Parameter]
    public string? Memory { get; set; }

    /// <summary>CPU limit: cores (0.5) or a Kubernetes quantity (500m).</summary>
    [Parameter]
    public string? Cpu { get; set; }

    /// <summary>Only create the container; Start-PodContainer starts it.</summary>
    [Parameter]
    public SwitchParameter NoStart { get; set; }

    private static readonly System.Text.RegularExpressions.Regex PowerShellMultiplier =
        new(@"^\s*(\d+(?:\.\d+)?)\s*([KMGTP])B\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// A bare 256MB reaches a string parameter as its text, not as PowerShell's number: read PowerShell's
    /// binary multipliers (KB..PB = 1024^n) as Kubernetes' Ki..Pi. "MB" is no Kubernetes suffix, so nothing clashes.
    /// </summary>
    private static string FromPowerShellMultiplier(string text)
    {
        var match = PowerShellMultiplier.Match(text);
        return match.Success ? match.Groups[1].Value + match.Groups[2].Value.ToUpperInvariant() + "i" : text;
    }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Pod}/{Name}", "Add container")) return;
        var request = new ContainerCreateRequest
        {
            Name = Name,
            Image = Image,
            RootFs = ParameterSetName == RootFsSet ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(RootFs) : null,
            Args = Command.Concat(Argument ?? Array.Empty<string>()).ToList(),
            WorkingDirectory = WorkingDirectory,
            User = User,
            RestartPolicy = RestartPolicy,
            PidMode = MyInvocation.BoundParameters.ContainsKey(nameof(PidMode)) ? PidMode : null,
        };
        if (Environment is not null)
        {
            foreach (DictionaryEntry entry in Environment) request.Environment[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
        }
        try
        {
            if (Memory is not null) request.MemoryLimit = KubeQuantity.ParseBytes(FromPowerShellMultiplier(Memory));
            if (Cpu is not null) request.CpuLimitMilli = KubeQuantity.ParseCpuMilli(Cpu);
        }
        catch (FormatException e)
        {
            WriteError(MakeError(ErrorIds.InvalidQuantity, ErrorCategory.InvalidArgument, Memory ?? Cpu, e.Message,
                "Give memory as bytes or a quantity such as 256Mi or 1G, and cpu as cores (0.5) or millicores (500m).", e));
            return;
        }
        var engine = FindEngine(Pod);
        if (engine is null) return;
        request.Progress = new CmdletProgress(this);
        RunItem(() =>
        {
            PodContainer container;
            try
            {
                container = engine.AddContainer(Pod, request, !NoStart, Cancellation);
            }
            catch (PodEngineException e) when (e.ErrorId == ErrorIds.CommandNotFound && Command.Length == 1 && Command[0].Trim().Contains(' '))
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
}
