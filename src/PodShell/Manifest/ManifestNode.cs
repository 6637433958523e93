using System.Collections.Generic;
using System.Linq;

namespace PodShell.Manifest;

public enum ManifestNodeKind { Mapping, Sequence, Scalar }

/// <summary>
/// One node of a parsed manifest as the YAML reader saw it, with its place in the file: the field report
/// walks these (every field the user wrote), and errors point at them by line and column.
/// </summary>
public sealed class ManifestNode
{
    public ManifestNodeKind Kind { get; init; }
    /// <summary>1-based, as editors count.</summary>
    public int Line { get; init; }
    public int Column { get; init; }
    public string? Value { get; init; }
    public IReadOnlyList<KeyValuePair<string, ManifestNode>> Entries { get; init; } = [];
    public IReadOnlyList<ManifestNode> Items { get; init; } = [];

    public ManifestNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>The node at a field path such as spec.containers[1].resources, or null.</summary>
    public ManifestNode? Find(string path)
    {
        var node = this;
        foreach (var step in ManifestPath.Split(path))
        {
            node = step.Index is { } i
                ? (node is { Kind: ManifestNodeKind.Sequence } && i < node.Items.Count ? node.Items[i] : null)
                : node?[step.Key!];
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The deepest node that starts at this line and column, with its path.</summary>
    public (string Path, ManifestNode Node)? At(int line, int column, string path = "")
    {
        foreach (var (childPath, child) in Children(path))
        {
            if (child.At(line, column, childPath) is { } hit) return hit;
        }
        return Line == line && Column == column ? (path, this) : null;
    }

    public IEnumerable<(string Path, ManifestNode Node)> Children(string path)
    {
        foreach (var entry in Entries) yield return (ManifestPath.Child(path, entry.Key), entry.Value);
        for (var i = 0; i < Items.Count; i++) yield return ($"{path}[{i}]", Items[i]);
    }
}

/// <summary>Field paths as Kubernetes writes them: spec.containers[1].resources.limits.memory.</summary>
public static class ManifestPath
{
    public readonly record struct Step(string? Key, int? Index);

    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static IEnumerable<Step> Split(string path)
    {
        foreach (var part in path.Split('.', System.StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[');
            yield return new Step(bracket < 0 ? part : part[..bracket], null);
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                yield return new Step(null, int.Parse(part[(bracket + 1)..close], System.Globalization.CultureInfo.InvariantCulture));
                bracket = part.IndexOf('[', close);
            }
        }
    }

    /// <summary>The path with its indices wildcarded, for rule tables: spec.containers[].resources.</summary>
    public static string Pattern(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "[]");
}
