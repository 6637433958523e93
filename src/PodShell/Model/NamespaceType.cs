namespace PodShell.Model;

/// <summary>The kinds of Linux namespace a process has under /proc/&lt;pid&gt;/ns.</summary>
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
