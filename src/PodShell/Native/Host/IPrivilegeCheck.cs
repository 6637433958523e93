namespace PodShell.Native.Host;

/// <summary>Whether the caller may make namespaces, mounts and cgroups (a fake in tests plays root or not).</summary>
internal interface IPrivilegeCheck
{
    bool IsRoot { get; }
}
