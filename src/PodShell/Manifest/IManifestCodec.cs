using System.Collections.Generic;
using PodShell.Manifest.Kubernetes;

namespace PodShell.Manifest;

/// <summary>One Pod document read from a manifest: the typed object and the nodes it was read from.</summary>
public sealed record ManifestDocument(KubeDocument Pod, ManifestNode Tree, string Source, int Index);

/// <summary>
/// Kubernetes YAML (and JSON) in and out. Implemented by the PodShell.Manifest adapter on YamlDotNet, which
/// loads in PodShell's own load context: no YAML library type crosses this interface.
/// </summary>
public interface IManifestCodec
{
    /// <summary>Every Pod in the text: `---` separated documents and the items of `kind: List`.</summary>
    /// <exception cref="ManifestException">invalid YAML, or a value of the wrong type (with line, column and field path).</exception>
    IReadOnlyList<ManifestDocument> Read(string text, string source);

    /// <summary>Pods as YAML documents, `---` separated; null and empty fields are left out.</summary>
    string Write(IEnumerable<KubeDocument> pods);
}
