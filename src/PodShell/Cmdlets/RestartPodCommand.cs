using System;
using System.Management.Automation;
using PodShell.Completion;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a pod (grace period -Timeout) and starts it again in a new sandbox, like podman pod restart.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class RestartPodCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>The grace period: seconds each container gets after SIGTERM before SIGKILL.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int Timeout { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, $"Restart pod (grace period {Timeout} s)")) continue;
            var engine = FindEngine(name);
            if (engine is null) continue;
            WriteProgress(new ProgressRecord(1, "Restart-Pod", $"Restarting pod {name}"));
            RunItem(() =>
            {
                var stopped = engine.StopPod(name, TimeSpan.FromSeconds(Timeout), Cancellation);
                WriteVerbose(VerboseText.Pod(stopped, "Stopped"));
                var started = engine.StartPod(name, Cancellation);
                WriteVerbose(VerboseText.Pod(started, "Started"));
                foreach (var container in started.Containers) WriteVerbose(VerboseText.ContainerState(container, "  Started"));
                if (PassThru) WriteObject(started);
            });
        }
        WriteProgress(new ProgressRecord(1, "Restart-Pod", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
