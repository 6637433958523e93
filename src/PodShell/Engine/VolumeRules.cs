using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// Kubernetes' rules for pod volumes and volumeMounts, and kubelet's hostPath type checks, for every engine:
/// checked before anything of the pod is made.
/// </summary>
public static class VolumeRules
{
    private static readonly HashSet<string> HostPathTypes = new(StringComparer.Ordinal)
    {
        "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice",
    };

    public static void ValidateVolumes(IReadOnlyList<PodVolume> volumes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in volumes)
        {
            if (!NameValidator.IsLabel(volume.Name)) throw Invalid(volume.Name, $"'{volume.Name}' is not a valid volume name: it must be a DNS-1123 label.");
            if (!names.Add(volume.Name)) throw Invalid(volume.Name, $"The pod has two volumes named '{volume.Name}'.");
            if (volume.Kind == PodVolumeKind.EmptyDir)
            {
                if (volume.Medium is not ("" or "Memory")) throw Invalid(volume.Name, $"emptyDir medium '{volume.Medium}' is not known: use \"\" (the node's disk) or Memory.");
                if (volume.SizeLimit is <= 0) throw Invalid(volume.Name, "An emptyDir sizeLimit is more than zero.");
                continue;
            }
            if (volume.Path is not { Length: > 0 } path || !path.StartsWith('/')) throw Invalid(volume.Name, $"Volume '{volume.Name}': a hostPath is an absolute path.");
            if (path.Split('/').Contains("..")) throw Invalid(volume.Name, $"Volume '{volume.Name}': a hostPath may not contain '..'.");
            if (!HostPathTypes.Contains(volume.HostPathType)) throw Invalid(volume.Name, $"Volume '{volume.Name}': hostPath type '{volume.HostPathType}' is not known.");
        }
    }

    public static void ValidateMounts(string container, IReadOnlyList<ContainerMount> mounts, IReadOnlyCollection<PodVolume> volumes)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in mounts)
        {
            if (volumes.All(v => v.Name != mount.Volume))
            {
                throw new PodEngineException(ErrorIds.VolumeNotFound, ErrorCategory.ObjectNotFound, mount.Volume,
                    $"Container '{container}' mounts volume '{mount.Volume}', which the pod does not have.",
                    $"Name one of the pod's volumes: {string.Join(", ", volumes.Select(v => v.Name).DefaultIfEmpty("(none)"))}.");
            }
            if (!mount.MountPath.StartsWith('/') || mount.MountPath.Split('/').Contains(".."))
            {
                throw Invalid(mount.Volume, $"Container '{container}': mountPath '{mount.MountPath}' is not an absolute path without '..'.");
            }
            if (!paths.Add(mount.MountPath.TrimEnd('/'))) throw Invalid(mount.Volume, $"Container '{container}' mounts two volumes at '{mount.MountPath}'.");
            if (mount.SubPath.StartsWith('/') || mount.SubPath.Split('/').Contains(".."))
            {
                throw Invalid(mount.Volume, $"Container '{container}': subPath '{mount.SubPath}' is a relative path without '..'.");
            }
        }
    }

    /// <summary>kubelet's hostPath type check (pkg/volume/hostpath): the OrCreate types make what is missing.</summary>
    public static void PrepareHostPath(PodVolume volume)
    {
        var path = volume.Path!;
        var kind = Linux.FileKind.Of(path);
        switch (volume.HostPathType)
        {
            case "":
                return;
            case "DirectoryOrCreate":
                if (kind != 'd')
                {
                    if (kind != '\0') throw Mismatch(volume, "a directory");
                    Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }
                return;
            case "Directory":
                if (kind != 'd') throw Mismatch(volume, "a directory");
                return;
            case "FileOrCreate":
                if (kind is not ('-' or '\0')) throw Mismatch(volume, "a file");
                if (kind == '\0')
                {
                    var parent = Path.GetDirectoryName(path)!;
                    if (!Directory.Exists(parent)) throw Mismatch(volume, "a file (its folder must exist)");
                    using (File.Create(path)) { }
                }
                return;
            case "File":
                if (kind != '-') throw Mismatch(volume, "a file");
                return;
            case "Socket":
                if (kind != 's') throw Mismatch(volume, "a socket");
                return;
            case "CharDevice":
                if (kind != 'c') throw Mismatch(volume, "a character device");
                return;
            case "BlockDevice":
                if (kind != 'b') throw Mismatch(volume, "a block device");
                return;
        }
    }

    private static PodEngineException Invalid(string target, string message) =>
        new(ErrorIds.InvalidVolume, ErrorCategory.InvalidArgument, target, message, "Fix the volume as Kubernetes defines it.");

    private static PodEngineException Mismatch(PodVolume volume, string what) =>
        new(ErrorIds.HostPathTypeMismatch, ErrorCategory.InvalidArgument, volume.Path,
            $"Volume '{volume.Name}': hostPath '{volume.Path}' is not {what} (type {volume.HostPathType}).",
            "Point the hostPath at the right kind of file, or change its type.");
}
