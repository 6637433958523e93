namespace PodShell.Engine;

/// <summary>One step of long engine work (an image pull's layer, an image import), for Write-Progress.</summary>
/// <param name="ActivityId">Distinct per concurrent activity (one per layer); the parent is 0.</param>
/// <param name="PercentComplete">0..100, or -1 when unknown.</param>
public sealed record EngineProgress(int ActivityId, string Activity, string Status, int PercentComplete, bool Completed, int ParentActivityId = -1);

/// <summary>
/// Where an engine reports progress. Engines call it only on the thread that called them (the
/// pipeline thread of the cmdlet), so an implementation may call Write-Progress directly.
/// </summary>
public interface IEngineProgress
{
    void Report(EngineProgress progress);
}
