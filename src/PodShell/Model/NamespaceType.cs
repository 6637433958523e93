using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PodShell.Model;

/// <summary>The kinds of Linux namespace a process has under /proc/&lt;pid&gt;/ns.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum NamespaceType
{
    Net,
    Ipc,
    Uts,
    Pid,
    Mnt,
    Cgroup,
    User,
    Time,
}
