using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Model;

namespace PodShell.Native.Status;

/// <summary>A pod's state from its record and the observed facts (kubelet's PodSandboxStatus): a pure function.</summary>
internal static class PodStatusMapper
{
    public const string NetworkNone = "none";
    public const string NetworkHost = "host";
    public const string NetnsPinFile = "netns";

    public static Pod ToPod(PodObservation seen)
    {
        var record = seen.Record;
        var alive = seen.PauseAlive;
        var pod = new Pod
        {
            Name = record.Name,
            Id = record.Id,
            Uid = record.Uid,
            Engine = record.Engine,
            State = !record.Complete ? (seen.CreateInProgress ? PodState.Creating : PodState.Unknown)
                : !alive ? PodState.NotReady : seen.Paused ? PodState.Paused : PodState.Ready,
            Message = record.Complete || seen.CreateInProgress ? null : InterruptedCreate,
            Hostname = record.Hostname,
            PausePid = alive ? record.PausePid : null,
            CreatedAt = record.CreatedAt,
            QosClass = record.QosClass,
            Resources = record.Resources?.Clone(),
            CgroupPath = "/" + record.CgroupPath,
            Namespaces = record.Namespaces,
            Labels = new Dictionary<string, string>(record.Labels),
            Annotations = new Dictionary<string, string>(record.Annotations),
            Volumes = record.Volumes.ToArray(),
            TerminationGracePeriodSeconds = record.TerminationGracePeriodSeconds ?? 30,
            Subdomain = record.Subdomain,
            Fqdn = record.Fqdn,
            SetHostnameAsFqdn = record.SetHostnameAsFqdn,
            HostAliases = record.HostAliases.ToArray(),
            SupplementalGroups = record.SupplementalGroups.ToArray(),
            FsGroup = record.FsGroup,
            FsGroupChangePolicy = record.FsGroupChangePolicy,
            SupplementalGroupsPolicy = record.SupplementalGroupsPolicy,
            Sysctls = new Dictionary<string, string>(record.Sysctls),
            Containers = seen.Containers.ToArray(),
            EngineDetails = new NativePodDetails
            {
                StateDirectory = seen.StateDirectory,
                NetworkNamespacePath = record.Namespaces.Network == NamespaceMode.Pod && alive ? Path.Combine(seen.StateDirectory, NetnsPinFile) : null,
            },
        };
        // A pod on the node's network has the node's addresses; a stopped pod has none.
        pod.Network = NetworkName(record);
        pod.Ports = record.Ports.ToArray();
        var ips = !alive ? new List<string>() : pod.Network == NetworkHost ? seen.NodeAddresses.ToList() : record.IPs;
        pod.IPs = ips.ToArray();
        pod.IP = PodAddresses.Primary(ips);
        return pod;
    }

    public const string InterruptedCreate =
        "Its create did not finish and the session that made it is gone: remove it with Remove-Pod -Force, or create it again.";

    /// <summary>A pod folder without pod.json while another session holds the pod's lock: a create before its first write.</summary>
    public static Pod Creating(string name, string stateDirectory) => new()
    {
        Name = name,
        Engine = PodEngineKind.Native,
        State = PodState.Creating,
        EngineDetails = new NativePodDetails { StateDirectory = stateDirectory },
    };

    /// <summary>A pod whose pod.json cannot be read is still listed, as Unknown with the reason.</summary>
    public static Pod Unreadable(string name, string stateDirectory, string? problem) => new()
    {
        Name = name,
        Engine = PodEngineKind.Native,
        State = PodState.Unknown,
        Message = $"Its state cannot be read: {problem?.TrimEnd('.')}.",
        EngineDetails = new NativePodDetails { StateDirectory = stateDirectory },
    };

    public static string NetworkName(State.PodRecord record) =>
        record.Network ?? (record.Namespaces.Network == NamespaceMode.Node ? NetworkHost : NetworkNone);
}
