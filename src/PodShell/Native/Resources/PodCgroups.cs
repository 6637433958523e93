using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Native.Spec;
using PodShell.State;

namespace PodShell.Native.Resources;

/// <summary>
/// A native pod's cgroups: every value planned from its records by the policies of Engine/Resources, and the
/// whole tree moved, with its processes, when the pod's QoS class changes.
/// </summary>
internal sealed class PodCgroups(StateStore store, CgroupManager cgroups, ContainerSpecBuilder specs)
{
    /// <summary>The values of every cgroup of the pod (pod, pause, each container), as planned settings.</summary>
    public List<CgroupSetting> Plan(PodRecord pod, IReadOnlyList<ContainerRecord> containers) =>
        PodCgroupPlan.For(cgroups, pod.Name, pod.CgroupPath, pod.QosClass, pod.Resources,
            containers.Select(c => new PodCgroupMember(c.Name, c.CgroupPath, c.ToResources(), c.RawCgroup)).ToList());

    /// <summary>
    /// Moves the pod's cgroup tree to its class's place: the new folders get their values first, then every process
    /// of the pause and container leaves is written to the new leaf's cgroup.procs (again until the old one is empty,
    /// since processes may fork meanwhile), the records and container configs are pointed at the new place (so
    /// restarts and exec join it), and the old folders are removed.
    /// </summary>
    public void Move(PodRecord pod, List<ContainerRecord> containers, QosClass qos, string cgroupRoot)
    {
        string oldPath = pod.CgroupPath;
        var oldQos = pod.QosClass;
        string newPath = PodCgroupLayout.PodPath(cgroupRoot, qos, pod.Uid);
        var leaves = new List<string> { PodCgroupLayout.PauseLeaf };
        leaves.AddRange(containers.Select(c => c.Name));
        try
        {
            cgroups.Create(newPath);
            foreach (var leaf in leaves) cgroups.Create(PodCgroupLayout.ContainerPath(newPath, leaf));
            // A new leaf starts with every device allowed (v1 copies the pod's list; a v2 program stays on the old
            // folder): the containers' policy comes along before their processes do.
            foreach (var c in containers) cgroups.SetDefaultDevicePolicy(PodCgroupLayout.ContainerPath(newPath, c.Name), c.Privileged);
            pod.CgroupPath = newPath;
            pod.QosClass = qos;
            foreach (var c in containers) c.CgroupPath = PodCgroupLayout.ContainerPath(newPath, c.Name);
            CgroupTransaction.Apply(Plan(pod, containers));
            foreach (var leaf in leaves) cgroups.MoveProcesses(PodCgroupLayout.ContainerPath(oldPath, leaf), PodCgroupLayout.ContainerPath(newPath, leaf));
            cgroups.MoveProcesses(oldPath, newPath);
        }
        catch (Exception e) when (e is IOException or PodShellException)
        {
            // Back where it was: processes first, then the new folders.
            try
            {
                foreach (var leaf in leaves) cgroups.MoveProcesses(PodCgroupLayout.ContainerPath(newPath, leaf), PodCgroupLayout.ContainerPath(oldPath, leaf));
                cgroups.Remove(newPath, "");
            }
            catch (Exception undo) when (undo is IOException or PodShellException or AggregateException)
            {
                // The original failure is what the user needs; the half-moved state stays visible in Get-PodCgroup.
            }
            pod.CgroupPath = oldPath;
            pod.QosClass = oldQos;
            foreach (var c in containers) c.CgroupPath = PodCgroupLayout.ContainerPath(oldPath, c.Name);
            throw new PodEngineException(ErrorIds.PodCgroupMoveFailed, ErrorCategory.WriteError, pod.Name,
                $"Pod '{pod.Name}' becomes {qos}, but its cgroup could not move from /{oldPath} to /{newPath}: {e.Message}", null, e);
        }
        store.WritePod(pod);
        foreach (var c in containers)
        {
            store.WriteContainer(pod.Name, c);
            var config = Path.Combine(store.ContainerDirectory(pod.Name, c.Name), "config.json");
            if (File.Exists(config)) StateStore.Write(config, specs.Build(pod, c, containers));
        }
        // A command exec'd meanwhile may have joined an old leaf from a config read before the rewrite: once more.
        foreach (var leaf in leaves) cgroups.MoveProcesses(PodCgroupLayout.ContainerPath(oldPath, leaf), PodCgroupLayout.ContainerPath(newPath, leaf));
        cgroups.Remove(oldPath, "");
    }
}
