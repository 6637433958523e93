using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>
/// Runs image work on a worker thread and turns its progress reports into Write-Progress records on the
/// pipeline thread (one bar per layer under one bar for the image), the only thread that may write them.
/// </summary>
internal sealed class ImageProgressPump : IImageProgress
{
    private const int ImageActivityId = 1;
    private readonly BlockingCollection<ImageProgress> _queue = new();
    private readonly Cmdlet _cmdlet;
    private readonly HashSet<int> _openLayers = new();
    private readonly Dictionary<int, int> _layerPercent = new();

    public ImageProgressPump(Cmdlet cmdlet) => _cmdlet = cmdlet;

    public void Report(ImageProgress progress)
    {
        if (!_queue.IsAddingCompleted) _queue.Add(progress);
    }

    public T Run<T>(Func<T> work)
    {
        var task = Task.Run(() =>
        {
            try
            {
                return work();
            }
            finally
            {
                _queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var progress in _queue.GetConsumingEnumerable()) Write(progress);
            Complete();
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: the work was cancelled too; wait for it to clear its temp files before the pipeline ends.
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            throw;
        }
        return task.GetAwaiter().GetResult();
    }

    private void Write(ImageProgress p)
    {
        if (p.Stage == ImageProgressStage.Resolving)
        {
            _cmdlet.WriteProgress(new ProgressRecord(ImageActivityId, $"Pulling {p.Image}", "Resolving the manifest"));
            return;
        }
        var layerId = ImageActivityId + 1 + p.LayerIndex;
        _openLayers.Add(layerId);
        var percent = p.BytesTotal > 0 ? (int)Math.Clamp(p.BytesDone * 100 / p.BytesTotal, 0, 100) : -1;
        var status = p.Stage switch
        {
            ImageProgressStage.Downloading => $"Downloading {Size(p.BytesDone)} of {Size(p.BytesTotal)}",
            ImageProgressStage.Unpacking => $"Unpacking {Size(p.BytesDone)}" + (p.BytesTotal > 0 ? $" of {Size(p.BytesTotal)}" : ""),
            ImageProgressStage.AlreadyPresent => "Already present",
            _ => "Done",
        };
        _layerPercent[layerId] = p.Stage is ImageProgressStage.AlreadyPresent or ImageProgressStage.Done ? 100 : Math.Max(percent, 0);
        var total = 0;
        foreach (var value in _layerPercent.Values) total += value;
        var image = new ProgressRecord(ImageActivityId, $"Pulling {p.Image}", $"{p.LayerCount} layers")
        {
            PercentComplete = p.LayerCount > 0 ? Math.Clamp(total / p.LayerCount, 0, 100) : -1,
        };
        _cmdlet.WriteProgress(image);
        var layer = new ProgressRecord(layerId, $"Layer {p.LayerIndex + 1}/{p.LayerCount} {p.Layer}", status)
        {
            ParentActivityId = ImageActivityId,
            PercentComplete = p.Stage is ImageProgressStage.AlreadyPresent or ImageProgressStage.Done ? 100 : percent,
        };
        if (p.Stage is ImageProgressStage.AlreadyPresent or ImageProgressStage.Done)
        {
            layer.RecordType = ProgressRecordType.Completed;
            _openLayers.Remove(layerId);
        }
        _cmdlet.WriteProgress(layer);
    }

    private void Complete()
    {
        foreach (var id in _openLayers)
        {
            _cmdlet.WriteProgress(new ProgressRecord(id, "Layer", "Done") { ParentActivityId = ImageActivityId, RecordType = ProgressRecordType.Completed });
        }
        _openLayers.Clear();
        _layerPercent.Clear();
        _cmdlet.WriteProgress(new ProgressRecord(ImageActivityId, "Pulling", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KiB",
        _ => $"{bytes} B",
    };
}
