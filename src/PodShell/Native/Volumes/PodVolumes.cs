using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Protocol;
using PodShell.State;

namespace PodShell.Native.Volumes;

/// <summary>
/// Pod volumes as kubelet makes them: an emptyDir is a folder of the pod's own (a tmpfs for medium Memory)
/// that lives as long as the pod, a hostPath is the node's path after its type check; containers get them
/// as bind mounts, made inside their rootfs by the start stage.
/// </summary>
internal sealed class PodVolumes(StateStore store)
{
    private const string VolumesFolder = "volumes";

    private string VolumesDirectory(string pod) => Path.Combine(store.PodDirectory(pod), VolumesFolder);

    public void Prepare(PodRecord pod)
    {
        foreach (var volume in pod.Volumes)
        {
            if (volume.Kind == PodVolumeKind.HostPath)
            {
                VolumeRules.PrepareHostPath(volume);
                continue;
            }
            var folder = Path.Combine(VolumesDirectory(pod.Name), volume.Name);
            // kubelet makes emptyDirs world-writable: any user of any container may write there.
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
            if (volume.Medium == "Memory") Mounts.MountTmpfs(folder, volume.SizeLimit);
            if (pod.FsGroup is { } fsGroup) VolumeOwnership.Apply(folder, fsGroup);
        }
    }

    /// <summary>Unmounts every mount under the pod's volumes folder, found in mountinfo, so a record that lost its volumes still leaves nothing.</summary>
    public void Release(string pod)
    {
        var prefix = VolumesDirectory(pod) + "/";
        foreach (var mount in MountInfo.Read().Where(m => m.MountPoint.StartsWith(prefix, System.StringComparison.Ordinal)).Reverse())
        {
            Mounts.Unmount(mount.MountPoint);
        }
    }

    /// <summary>The container's volume mounts as binds from the node's side (a missing subPath is made, as kubelet does).</summary>
    public List<BindMount> Binds(PodRecord pod, ContainerRecord container)
    {
        var binds = new List<BindMount>();
        foreach (var mount in container.Mounts)
        {
            var volume = pod.Volumes.First(v => v.Name == mount.Volume);
            var source = volume.Kind == PodVolumeKind.HostPath ? volume.Path! : Path.Combine(VolumesDirectory(pod.Name), volume.Name);
            if (mount.SubPath.Length > 0)
            {
                // As kubelet: a missing subPath of an emptyDir is made (with the volume's mode and group); of a hostPath too, when its volume is a folder.
                if (volume.Kind == PodVolumeKind.EmptyDir)
                {
                    source = VolumeOwnership.SubPath(source, mount.SubPath, container.Name);
                }
                else
                {
                    source = Path.Combine(source, mount.SubPath);
                    if (!File.Exists(source) && !Directory.Exists(source)) Directory.CreateDirectory(source);
                }
            }
            binds.Add(new BindMount { Source = source, Destination = mount.MountPath, ReadOnly = mount.ReadOnly });
        }
        return binds;
    }
}
