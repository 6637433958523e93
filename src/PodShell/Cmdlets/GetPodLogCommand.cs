using System.Globalization;
using System.Management.Automation;
using PodShell.Engine;

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
            var query = new LogQuery { Tail = Tail, Follow = Follow, Timestamps = Timestamps };
            foreach (var entry in engine.ReadLog(Pod, Container, query, Cancellation)) WriteObject(Format(entry));
        });
    }

    private string Format(ContainerLogEntry entry) =>
        Timestamps ? entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " + entry.Text : entry.Text;
}
