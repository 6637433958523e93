using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Reads a container's log (CRI format, as kubelet keeps it), like kubectl logs.</summary>
[Cmdlet(VerbsCommon.Get, "PodLog")]
[OutputType(typeof(string))]
public sealed class GetPodLogCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [ValidateNotNullOrEmpty]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "ContainerName")]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Keep reading new lines while the container runs (Ctrl+C to stop).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Start each line with its RFC 3339 timestamp.</summary>
    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    protected override void ProcessRecord()
    {
        var engine = FindEngine(Pod);
        if (engine is null) return;
        RunItem(() =>
        {
            var path = engine.GetLogPath(Pod, Container);
            var reader = new CriLogReader();
            long offset = 0;
            var first = ReadNew(path, ref offset, reader);
            var initial = Tail is { } tail ? first.Skip(Math.Max(0, first.Count - tail)) : first;
            foreach (var entry in initial) Emit(entry);
            if (!Follow) return;
            while (!Cancellation.IsCancellationRequested)
            {
                foreach (var entry in ReadNew(path, ref offset, reader)) Emit(entry);
                var running = engine.GetContainers(Pod).FirstOrDefault(c => c.Name == Container)?.State is ContainerState.Running or ContainerState.Waiting;
                if (!running)
                {
                    foreach (var entry in ReadNew(path, ref offset, reader)) Emit(entry);
                    return;
                }
                Cancellation.WaitHandle.WaitOne(200);
            }
            throw new PipelineStoppedException();
        });
    }

    private void Emit(CriLogEntry entry) =>
        WriteObject(Timestamps ? $"{entry.Timestamp} {entry.Text}" : entry.Text);

    private static List<CriLogEntry> ReadNew(string path, ref long offset, CriLogReader reader)
    {
        if (!File.Exists(path)) return new List<CriLogEntry>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset) offset = 0;
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        var read = stream.Read(buffer, 0, buffer.Length);
        // Only whole lines: the shim may be half-way through writing the last one.
        var end = Array.LastIndexOf(buffer, (byte)'\n', Math.Max(read - 1, 0));
        if (read == 0 || end < 0) return new List<CriLogEntry>();
        offset += end + 1;
        return reader.Feed(Encoding.UTF8.GetString(buffer, 0, end + 1));
    }
}
