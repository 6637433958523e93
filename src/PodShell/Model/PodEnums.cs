using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PodShell.Model;

/// <summary>Which engine made a pod.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PodEngineKind { Native, Docker }

/// <summary>A pod's sandbox state, as crictl reports it; Paused while Suspend-Pod has frozen it.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PodState { Ready, NotReady, Creating, Unknown, Paused }

/// <summary>A container's state, as Kubernetes reports it.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ContainerState { Created, Running, Waiting, Exited, Unknown, Paused }

[JsonConverter(typeof(StringEnumConverter))]
public enum RestartPolicy { Always, OnFailure, Never }

/// <summary>Where a container's processes live: the pod's shared pid namespace or one of its own.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PidMode { Pod, Container }

/// <summary>Where a pod-level namespace lives: made for the pod, or the node's own (host modes).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum NamespaceMode { Pod, Container, Node }

/// <summary>Kubernetes' QoS classes; they decide the pod's place in the cgroup tree.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum QosClass { Guaranteed, Burstable, BestEffort }
