using System.Collections.Generic;

namespace PodShell.Manifest.Kubernetes;

/// <summary>A Kubernetes document's envelope: one Pod, or a List of them (apiVersion v1).</summary>
public sealed class KubeDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMeta? Metadata { get; set; }
    public PodSpec? Spec { get; set; }
    /// <summary>The items of a `kind: List`.</summary>
    public List<KubeDocument>? Items { get; set; }
}

/// <summary>metadata of a v1 Pod (k8s.io/apimachinery ObjectMeta, the fields a single node can use).</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}
