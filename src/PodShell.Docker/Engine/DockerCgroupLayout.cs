using System;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>
/// Where a Docker pod's cgroups go: the native engine's (kubelet's) layout under the same root,
/// &lt;root&gt;/&lt;qos&gt;/pod&lt;uid&gt;, handed to Docker as --cgroup-parent. With the systemd driver a
/// parent must be a slice, named the way kubelet's systemd driver names it (dashes nest slices).
/// </summary>
public static class DockerCgroupLayout
{
    public const string RootVariable = "PODSHELL_CGROUP_ROOT";
    public const string DefaultRoot = "podshell";

    public static string RootName
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? DefaultRoot : fromEnvironment.Trim('/');
        }
    }

    /// <summary>The pod's cgroup, relative to each hierarchy's root, with a leading slash (/podshell/burstable/pod&lt;uid&gt;).</summary>
    public static string PodPath(string root, QosClass qos, string uid) => qos switch
    {
        QosClass.Guaranteed => $"/{root}/pod{uid}",
        QosClass.Burstable => $"/{root}/burstable/pod{uid}",
        _ => $"/{root}/besteffort/pod{uid}",
    };

    /// <summary>The value of HostConfig.CgroupParent for the driver the daemon uses.</summary>
    public static string CgroupParent(string podPath, bool systemd) => systemd ? SliceName(podPath) : podPath;

    /// <summary>/podshell/burstable/pod&lt;uid&gt; as a systemd slice: podshell-burstable-pod&lt;uid with _ for -&gt;.slice.</summary>
    public static string SliceName(string podPath)
    {
        var parts = podPath.Trim('/').Split('/');
        for (var i = 0; i < parts.Length; i++) parts[i] = parts[i].Replace('-', '_');
        return string.Join("-", parts) + ".slice";
    }

    /// <summary>
    /// Where systemd puts that slice in the hierarchy: each dash-prefix is a parent slice
    /// (podshell.slice/podshell-burstable.slice/podshell-burstable-pod….slice).
    /// </summary>
    public static string SlicePath(string slice)
    {
        var name = slice.EndsWith(".slice", StringComparison.Ordinal) ? slice[..^6] : slice;
        var parts = name.Split('-');
        var path = "";
        for (var i = 0; i < parts.Length; i++) path += "/" + string.Join("-", parts, 0, i + 1) + ".slice";
        return path;
    }

    /// <summary>A container's own cgroup below the pod's, as Docker makes it for that driver.</summary>
    public static string ContainerPath(string podCgroupPath, string containerId, bool systemd) =>
        systemd ? $"{podCgroupPath}/docker-{containerId}.scope" : $"{podCgroupPath}/{containerId}";
}
