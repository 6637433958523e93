using System.Globalization;
using System.Linq;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>The -Verbose lines of the lifecycle cmdlets: what a step left behind, from the engine's answer.</summary>
internal static class VerboseText
{
    public static string Pod(Pod pod, string did)
    {
        var shared = new[] { ("net", pod.Namespaces.Network), ("ipc", pod.Namespaces.Ipc), ("uts", pod.Namespaces.Uts), ("pid", pod.Namespaces.Pid) }
            .Select(n => $"{n.Item1}: {Describe(n.Item2)}");
        var pause = pod.PausePid is { } pid ? $"pause pid {pid.ToString(CultureInfo.InvariantCulture)}" : "no pause process";
        return $"{did} pod '{pod.Name}' ({pod.Engine} engine): state {pod.State}, {pause}, hostname {pod.Hostname}, " +
               $"cgroup {pod.CgroupPath} ({pod.QosClass}), namespaces {string.Join(", ", shared)}, {Network(pod)}; {pod.Containers.Length} container(s).";
    }

    private static string Network(Pod pod)
    {
        var text = $"network {pod.Network ?? "none"}";
        if (pod.IPs.Length > 0) text += $" (IP {string.Join(", ", pod.IPs)})";
        if (pod.Ports.Length > 0) text += $", host ports {string.Join(", ", pod.Ports.Select(p => p.ToString()))}";
        return text;
    }

    public static string ContainerState(PodContainer c, string did)
    {
        var text = $"{did} container '{c.PodName}/{c.Name}': state {c.State}";
        if (c.Pid is { } pid) text += $", pid {pid.ToString(CultureInfo.InvariantCulture)}";
        if (c.ExitCode is { } code) text += $", exit code {code.ToString(CultureInfo.InvariantCulture)}";
        if (!string.IsNullOrEmpty(c.Reason)) text += $" ({c.Reason})";
        return text + $", cgroup {c.CgroupPath}, restarts {c.RestartCount.ToString(CultureInfo.InvariantCulture)}.";
    }

    public static string ContainerCreated(PodContainer c, bool started)
    {
        var limits = new System.Collections.Generic.List<string>();
        if (c.MemoryLimit is { } m) limits.Add("memory " + CgroupNode.FormatBytes(m));
        if (c.CpuLimitMilli is { } cpu) limits.Add("cpu " + Views.FormatCpu(cpu));
        var limitText = limits.Count == 0 ? "no limits" : string.Join(", ", limits);
        return ContainerState(c, started ? "Added and started" : "Added (not started)") +
               $" Image {c.Image}, command '{string.Join(" ", c.Command)}', {limitText}, pid namespace of the {(c.PidMode == PidMode.Pod ? "pod" : "container")}.";
    }

    private static string Describe(NamespaceMode mode) => mode switch
    {
        NamespaceMode.Pod => "the pod's",
        NamespaceMode.Node => "the node's",
        _ => "one per container",
    };
}
