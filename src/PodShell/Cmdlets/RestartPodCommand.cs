using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a pod (grace period -Timeout) and starts it again in a new sandbox, like podman pod restart.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class RestartPodCommand : PodStopCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            var engine = FindEngine(name);
            if (engine is null) continue;
            var grace = GraceFor(engine, name);
            if (!ShouldProcess(name, $"Restart pod (grace period {grace.TotalSeconds} s)")) continue;
            WriteProgress(new ProgressRecord(1, "Restart-Pod", $"Restarting pod {name}"));
            RunItem(() =>
            {
                var stopped = engine.StopPod(name, grace, Cancellation);
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
