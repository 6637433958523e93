using System;
using System.Collections.Generic;
using System.Linq;

namespace PodShell.Manifest;

/// <summary>
/// Keeps what the translator did with each field, then walks every field the user wrote: those it applied
/// or explained are reported as such, the rest by the table of fields a single node leaves aside on purpose,
/// and anything else as Unsupported. A mark on a field covers everything below it.
/// </summary>
internal sealed class FieldLedger
{
    private const string Scheduling = "scheduling: the pod runs on this node";
    private const string NoApiServer = "set by the API server; a single node has none";

    /// <summary>Fields Kubernetes has that a single node leaves aside, by wildcarded path.</summary>
    private static readonly Dictionary<string, string> KnownIgnored = new(StringComparer.Ordinal)
    {
        ["metadata.creationTimestamp"] = NoApiServer,
        ["metadata.resourceVersion"] = NoApiServer,
        ["metadata.generation"] = NoApiServer,
        ["metadata.managedFields"] = NoApiServer,
        ["metadata.selfLink"] = NoApiServer,
        ["metadata.ownerReferences"] = "no controllers run on a single node",
        ["metadata.finalizers"] = "no controllers run on a single node",
        ["status"] = "status is what the node reports, not what it is asked for",
        ["spec.affinity"] = Scheduling,
        ["spec.tolerations"] = Scheduling,
        ["spec.nodeSelector"] = Scheduling,
        ["spec.nodeName"] = Scheduling,
        ["spec.schedulerName"] = Scheduling,
        ["spec.priority"] = Scheduling,
        ["spec.priorityClassName"] = Scheduling,
        ["spec.preemptionPolicy"] = Scheduling,
        ["spec.topologySpreadConstraints"] = Scheduling,
        ["spec.serviceAccountName"] = "no API server: no service account token is mounted",
        ["spec.serviceAccount"] = "no API server: no service account token is mounted",
        ["spec.automountServiceAccountToken"] = "no API server: no service account token is mounted",
        ["spec.enableServiceLinks"] = "no cluster services to link",
        ["spec.dnsPolicy"] = "no cluster DNS: the pod's resolv.conf comes from its network (or the node), with spec.dnsConfig merged in",
        ["spec.activeDeadlineSeconds"] = "no controller enforces deadlines on a single node",
        ["spec.readinessGates"] = "no controllers run on a single node",
        ["spec.containers[].livenessProbe"] = "probes are not run: PodShell has no prober",
        ["spec.containers[].readinessProbe"] = "probes are not run: PodShell has no prober",
        ["spec.containers[].startupProbe"] = "probes are not run: PodShell has no prober",
        ["spec.initContainers[].livenessProbe"] = "probes are not run: PodShell has no prober",
        ["spec.initContainers[].readinessProbe"] = "probes are not run: PodShell has no prober",
        ["spec.initContainers[].startupProbe"] = "probes are not run: PodShell has no prober",
        ["spec.containers[].terminationMessagePath"] = "termination messages are not collected",
        ["spec.containers[].terminationMessagePolicy"] = "termination messages are not collected",
        ["spec.initContainers[].terminationMessagePath"] = "termination messages are not collected",
        ["spec.initContainers[].terminationMessagePolicy"] = "termination messages are not collected",
        ["spec.containers[].ports[].containerPort"] = "informational, as in Kubernetes: every port of the pod's network is open to it",
        ["spec.containers[].ports[].name"] = "informational, as in Kubernetes",
        ["spec.containers[].ports[].protocol"] = "informational, as in Kubernetes",
        ["spec.containers[].stdin"] = "attaching is not supported: use Invoke-PodCommand -Interactive",
        ["spec.containers[].stdinOnce"] = "attaching is not supported: use Invoke-PodCommand -Interactive",
        ["spec.containers[].tty"] = "attaching is not supported: use Invoke-PodCommand -Interactive",
    };

    private readonly ManifestNode _tree;
    private readonly Dictionary<string, (ManifestFieldStatus Status, string Reason)> _marks = new(StringComparer.Ordinal);

    public FieldLedger(ManifestNode tree) => _tree = tree;

    public void Applied(string path) => _marks[path] = (ManifestFieldStatus.Applied, "");
    public void Ignored(string path, string reason) => _marks[path] = (ManifestFieldStatus.Ignored, reason);
    public void Unsupported(string path, string reason) => _marks[path] = (ManifestFieldStatus.Unsupported, reason);

    /// <summary>Marks the fields of the known-ignored table that the manifest has and the translator left unmarked.</summary>
    public void IgnoreKnown()
    {
        foreach (var (path, _) in Walk(_tree, ""))
        {
            if (!_marks.ContainsKey(path) && KnownIgnored.TryGetValue(ManifestPath.Pattern(path), out var reason)) Ignored(path, reason);
        }
    }

    public IReadOnlyList<ManifestField> Report(string pod)
    {
        var fields = new List<ManifestField>();
        Collect(_tree, "", pod, fields);
        return fields;
    }

    private void Collect(ManifestNode node, string path, string pod, List<ManifestField> fields)
    {
        if (path.Length > 0 && _marks.TryGetValue(path, out var mark))
        {
            fields.Add(new ManifestField { Pod = pod, Path = path, Status = mark.Status, Reason = mark.Reason, Line = node.Line, Column = node.Column });
            return;
        }
        var children = node.Children(path).ToList();
        if (children.Count == 0)
        {
            if (path.Length == 0) return;
            fields.Add(new ManifestField
            {
                Pod = pod, Path = path, Status = ManifestFieldStatus.Unsupported,
                Reason = "PodShell does not apply this field", Line = node.Line, Column = node.Column,
            });
            return;
        }
        foreach (var (childPath, child) in children) Collect(child, childPath, pod, fields);
    }

    private static IEnumerable<(string Path, ManifestNode Node)> Walk(ManifestNode node, string path)
    {
        foreach (var (childPath, child) in node.Children(path))
        {
            yield return (childPath, child);
            foreach (var inner in Walk(child, childPath)) yield return inner;
        }
    }
}
