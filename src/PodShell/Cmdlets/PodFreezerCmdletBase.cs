using System;
using System.Management.Automation;
using PodShell.Completion;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Suspend-Pod and Resume-Pod: pods by name, frozen or thawed by their engine.</summary>
public abstract class PodFreezerCmdletBase : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract string Action { get; }

    protected abstract Pod Apply(IPodFreezer freezer, string name);

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, Action)) continue;
            var engine = FindEngine(name);
            if (engine is null) continue;
            if (engine is not IPodFreezer freezer)
            {
                WriteEngineError(new PodEngineException(ErrorIds.FreezeNotSupported, ErrorCategory.NotImplemented, name,
                    $"The {engine.Kind} engine cannot suspend or resume pods.", "Stop-Pod and Start-Pod work on every engine."));
                continue;
            }
            RunItem(() =>
            {
                var pod = Apply(freezer, name);
                WriteVerbose($"{Action}: pod '{name}' is {pod.State}; its cgroup {pod.CgroupPath} (pause and {pod.Containers.Length} container(s)) is {(pod.State == PodState.Paused ? "frozen" : "thawed")}.");
                if (PassThru) WriteObject(pod);
            });
        }
    }
}
