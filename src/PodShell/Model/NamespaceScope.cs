using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PodShell.Model;

/// <summary>Who a namespace belongs to: the node, one process, a pod sandbox, or one container.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum NamespaceScope
{
    Node,
    Process,
    Pod,
    Container,
}
