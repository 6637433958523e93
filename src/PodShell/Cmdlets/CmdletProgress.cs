using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Engine progress as Write-Progress records; engines call it on the pipeline thread only.</summary>
internal sealed class CmdletProgress : IEngineProgress
{
    private readonly Cmdlet _cmdlet;

    public CmdletProgress(Cmdlet cmdlet) => _cmdlet = cmdlet;

    public void Report(EngineProgress progress)
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? "..." : progress.Status)
        {
            PercentComplete = progress.PercentComplete,
            ParentActivityId = progress.ParentActivityId,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        _cmdlet.WriteProgress(record);
    }
}
