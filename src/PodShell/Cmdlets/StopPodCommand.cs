using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Stops a pod's containers (SIGTERM, then SIGKILL after -Timeout) and its sandbox. Stopping a stopped pod is fine.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Pod", SupportsShouldProcess = true)]
[OutputType(typeof(Pod))]
public sealed class StopPodCommand : PodStopCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            var engine = FindEngine(name);
            if (engine is null) continue;
            var grace = GraceFor(engine, name);
            if (!ShouldProcess(name, $"Stop pod (grace period {grace.TotalSeconds} s)")) continue;
            WriteProgress(new ProgressRecord(1, "Stop-Pod", $"Stopping pod {name}"));
            RunItem(() =>
            {
                WriteVerbose($"Stopping pod '{name}': SIGTERM to each container, SIGKILL to what still runs after {grace.TotalSeconds} s, then the pause process.");
                var pod = engine.StopPod(name, grace, Cancellation);
                foreach (var container in pod.Containers) WriteVerbose(VerboseText.ContainerState(container, "  Stopped"));
                WriteVerbose(VerboseText.Pod(pod, "Stopped"));
                if (PassThru) WriteObject(pod);
            });
        }
        WriteProgress(new ProgressRecord(1, "Stop-Pod", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
