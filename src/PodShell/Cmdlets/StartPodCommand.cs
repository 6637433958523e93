using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Starts a stopped pod: a new sandbox when the old one is gone, then its containers.</summary>
[Cmdlet(VerbsLifecycle.Start, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class StartPodCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, "Start pod")) continue;
            var engine = FindEngine(name);
            if (engine is null) continue;
            RunItem(() =>
            {
                var pod = engine.StartPod(name, Cancellation);
                WriteVerbose(VerboseText.Pod(pod, "Started"));
                foreach (var container in pod.Containers) WriteVerbose(VerboseText.ContainerState(container, "  Started"));
                if (PassThru) WriteObject(pod);
            });
        }
    }
}
