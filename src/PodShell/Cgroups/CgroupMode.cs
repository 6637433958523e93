namespace PodShell.Cgroups;

/// <summary>How the node mounts cgroups: v1 hierarchies only, the v2 unified hierarchy only, or both (hybrid).</summary>
public enum CgroupMode
{
    V1,
    V2,
    Hybrid,
}
