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

    public static void Create(DockerEngine engine, string pod, string uid, IReadOnlyList<PodVolume> volumes, CancellationToken cancel)
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
                options["o"] = volume.SizeLimit is { } size ? $"size={size.ToString(CultureInfo.InvariantCulture)}" : "";
            }
            var parameters = new VolumesCreateParameters
            {
                Name = VolumeName(uid, volume.Name),
                Driver = "local",
                DriverOpts = options,
                Labels = new Dictionary<string, string> { [DockerLabels.PodName] = pod, [DockerLabels.PodUid] = uid },
            };
            engine.Call(c => c.Volumes.CreateAsync(parameters, cancel), cancel, $"{pod}/{volume.Name}");
        }
    }

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

    public static IList<Mount> MountsFor(string container, IReadOnlyList<ContainerMount> mounts, IReadOnlyList<PodVolume> volumes, string uid)
    {
        var result = new List<Mount>();
        foreach (var mount in mounts)
        {
            var volume = volumes.First(v => v.Name == mount.Volume);
            if (volume.Kind == PodVolumeKind.EmptyDir)
            {
                if (mount.SubPath.Length > 0)
                {
                    throw new PodEngineException(ErrorIds.InvalidVolume, ErrorCategory.NotImplemented, mount.Volume,
                        $"Container '{container}': Docker's API before 1.45 cannot mount a sub-path of a volume (subPath '{mount.SubPath}').",
                        "Mount the whole emptyDir, or use the native engine.");
                }
                result.Add(new Mount { Type = "volume", Source = VolumeName(uid, volume.Name), Target = mount.MountPath, ReadOnly = mount.ReadOnly });
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
}
