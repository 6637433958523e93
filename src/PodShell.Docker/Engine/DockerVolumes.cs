using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker.Engine;

/// <summary>
/// A pod's volumes on Docker: an emptyDir is a named local volume of the pod (a tmpfs one for medium Memory, which
/// Docker mounts once and every container of the pod shares), a hostPath a bind mount after kubelet's type check.
/// What the pod asked for rides in labels, since Docker has no field for a pod's volumes.
/// </summary>
internal static class DockerVolumes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Describe<T>(IReadOnlyCollection<T> items) => JsonSerializer.Serialize(items, Json);

    public static List<PodVolume> Read(string? json) => Parse<PodVolume>(json);

    public static List<ContainerMount> ReadMounts(string? json) => Parse<ContainerMount>(json);

    public static List<PodHostAlias> ReadAliases(string? json) => Parse<PodHostAlias>(json);

    private static List<T> Parse<T>(string? json)
    {
        if (string.IsNullOrEmpty(json)) return new List<T>();
        try
        {
            return JsonSerializer.Deserialize<List<T>>(json, Json) ?? new List<T>();
        }
        catch (JsonException)
        {
            // A label some other tool wrote: no volumes rather than a pod that cannot be listed.
            return new List<T>();
        }
    }

    public static string VolumeName(string uid, string volume) => $"podshell_{uid}_{volume}";

    /// <summary>
    /// Refuses, before anything is made, what only a daemon on this node can do: an fsGroup on a disk emptyDir is a chown of the
    /// volume's folder, which PodShell does from here (Docker's local driver has no owner option; a tmpfs one does).
    /// </summary>
    public static void CheckReachable(DockerEngine engine, string pod, IReadOnlyList<PodVolume> volumes, long? fsGroup)
    {
        if (fsGroup is null || engine.Endpoint.IsLocal) return;
        if (volumes.FirstOrDefault(v => v.Kind == PodVolumeKind.EmptyDir && v.Medium != "Memory") is { } volume)
        {
            throw new PodEngineException(ErrorIds.InvalidVolume, ErrorCategory.NotImplemented, volume.Name,
                $"Pod '{pod}': emptyDir '{volume.Name}' should belong to fsGroup {fsGroup}, but the Docker daemon at {engine.Endpoint.Display} is not on this node, so PodShell cannot give its folder to the group.",
                "Use medium Memory for the volume (a tmpfs takes the group as an option), a daemon on this node, or the native engine.");
        }
    }

    public static void Create(DockerEngine engine, string pod, string uid, IReadOnlyList<PodVolume> volumes, long? fsGroup, CancellationToken cancel)
    {
        foreach (var volume in volumes)
        {
            if (volume.Kind == PodVolumeKind.HostPath)
            {
                // The daemon binds the node's path: check it as kubelet does, here on the node.
                VolumeRules.PrepareHostPath(volume);
                continue;
            }
            var options = new Dictionary<string, string>();
            if (volume.Medium == "Memory")
            {
                options["type"] = "tmpfs";
                options["device"] = "tmpfs";
                var o = new List<string>();
                if (volume.SizeLimit is { } size) o.Add($"size={size.ToString(CultureInfo.InvariantCulture)}");
                // kubelet's ownership on the tmpfs's root: the default 1777 plus group rwx and setgid, group fsGroup.
                if (fsGroup is { } group) o.Add($"mode=3777,gid={group.ToString(CultureInfo.InvariantCulture)}");
                options["o"] = string.Join(",", o);
            }
            var parameters = new VolumesCreateParameters
            {
                Name = VolumeName(uid, volume.Name),
                Driver = "local",
                DriverOpts = options,
                Labels = new Dictionary<string, string> { [DockerLabels.PodName] = pod, [DockerLabels.PodUid] = uid },
            };
            var created = engine.Call(c => c.Volumes.CreateAsync(parameters, cancel), cancel, $"{pod}/{volume.Name}");
            if (volume.Medium != "Memory" && LocalFolder(engine, created.Mountpoint) is { } folder)
            {
                // As kubelet makes an emptyDir: any user of any container may write there.
                File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
                if (fsGroup is { } group) VolumeOwnership.Apply(folder, group);
            }
        }
    }

    /// <summary>A volume's folder when the daemon is on this node and PodShell sees it there (not a daemon in another mount namespace).</summary>
    private static string? LocalFolder(DockerEngine engine, string? mountpoint) =>
        engine.Endpoint.IsLocal && mountpoint is { Length: > 0 } && Directory.Exists(mountpoint) ? mountpoint : null;

    /// <summary>
    /// The pause container mounts every emptyDir, so each lives as long as the pod: Docker unmounts a tmpfs volume when no
    /// container uses it any more (its files gone), which a container's restart alone would otherwise do.
    /// </summary>
    public static IList<Mount> PauseMounts(string uid, IReadOnlyList<PodVolume> volumes) => volumes
        .Where(v => v.Kind == PodVolumeKind.EmptyDir)
        .Select(v => new Mount { Type = "volume", Source = VolumeName(uid, v.Name), Target = "/podshell/volumes/" + v.Name, VolumeOptions = new VolumeOptions { NoCopy = true } })
        .ToList();

    public static void Remove(DockerEngine engine, string uid, CancellationToken cancel)
    {
        var filter = new VolumesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.PodUid}={uid}"] = true } },
        };
        var found = engine.Call(c => c.Volumes.ListAsync(filter, cancel), cancel, uid);
        foreach (var volume in found.Volumes ?? new List<VolumeResponse>())
        {
            engine.Call(c => c.Volumes.RemoveAsync(volume.Name, true, cancel), cancel, volume.Name);
        }
    }

    public static IList<Mount> MountsFor(DockerEngine engine, string container, IReadOnlyList<ContainerMount> mounts, IReadOnlyList<PodVolume> volumes, string uid, CancellationToken cancel)
    {
        var result = new List<Mount>();
        foreach (var mount in mounts)
        {
            var volume = volumes.First(v => v.Name == mount.Volume);
            if (volume.Kind == PodVolumeKind.EmptyDir)
            {
                if (mount.SubPath.Length > 0)
                {
                    result.Add(new Mount { Type = "bind", Source = SubPathSource(engine, container, volume, mount, uid, cancel), Target = mount.MountPath, ReadOnly = mount.ReadOnly });
                    continue;
                }
                // An emptyDir starts empty: no copy of what the image has at the mount path.
                result.Add(new Mount { Type = "volume", Source = VolumeName(uid, volume.Name), Target = mount.MountPath, ReadOnly = mount.ReadOnly, VolumeOptions = new VolumeOptions { NoCopy = true } });
                continue;
            }
            var source = volume.Path!;
            if (mount.SubPath.Length > 0)
            {
                source = Path.Combine(source, mount.SubPath);
                if (!File.Exists(source) && !Directory.Exists(source)) Directory.CreateDirectory(source);
            }
            result.Add(new Mount { Type = "bind", Source = source, Target = mount.MountPath, ReadOnly = mount.ReadOnly });
        }
        return result;
    }

    /// <summary>
    /// A subPath of an emptyDir: Docker's API before 1.45 has no sub-path volume mounts, so with a daemon on this node the folder
    /// is made inside the volume (its Mountpoint) and bind-mounted; a daemon elsewhere is refused.
    /// </summary>
    private static string SubPathSource(DockerEngine engine, string container, PodVolume volume, ContainerMount mount, string uid, CancellationToken cancel)
    {
        var name = VolumeName(uid, volume.Name);
        var mountpoint = engine.Call(c => c.Volumes.InspectAsync(name, cancel), cancel, name).Mountpoint;
        if (LocalFolder(engine, mountpoint) is not { } folder)
        {
            throw new PodEngineException(ErrorIds.InvalidVolume, ErrorCategory.NotImplemented, mount.Volume,
                $"Container '{container}': subPath '{mount.SubPath}' of emptyDir '{volume.Name}' needs the volume's folder, and the Docker daemon at {engine.Endpoint.Display} does not keep it where PodShell can reach it (Docker's API before 1.45 cannot mount a sub-path of a volume).",
                "Mount the whole emptyDir, use a Docker daemon on this node, or the native engine.");
        }
        if (volume.Medium == "Memory" && new DriveInfo(folder).DriveFormat != "tmpfs")
        {
            // The pause container keeps the tmpfs mounted; without it, a folder made here would sit under the tmpfs, not in it.
            throw new PodEngineException(ErrorIds.InvalidVolume, ErrorCategory.InvalidOperation, mount.Volume,
                $"Container '{container}': emptyDir '{volume.Name}' (medium Memory) is not mounted at {folder}, so subPath '{mount.SubPath}' cannot be made in it.",
                "Start the pod (Start-Pod), whose sandbox holds the volume mounted, then add the container.");
        }
        return VolumeOwnership.SubPath(folder, mount.SubPath, container);
    }
}
