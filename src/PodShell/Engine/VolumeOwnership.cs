using System.IO;
using PodShell.Linux;

namespace PodShell.Engine;

/// <summary>
/// kubelet's volume ownership for the volumes a pod owns (emptyDirs), on the node's side of either engine: with an fsGroup
/// the folder is group-owned by it, group read-write-execute and setgid, so what containers make there inherits the group.
/// The pod's volumes start empty, so Always and OnRootMismatch (which skips a root that already matches) do the same here.
/// </summary>
public static class VolumeOwnership
{
    private const UnixFileMode GroupAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    public static void Apply(string folder, long fsGroup)
    {
        FileSystemCalls.Chown(folder, -1, (int)fsGroup);
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | GroupAccess | UnixFileMode.SetGroup);
    }

    /// <summary>
    /// The node's path of a subPath of a pod-owned volume. Missing levels are made with the volume root's mode (as kubelet makes
    /// subPaths, the umask aside; a setgid root hands its group down). A level that is a symlink is refused: a container may have
    /// put it there to point the next container's mount outside the volume.
    /// </summary>
    public static string SubPath(string volumeRoot, string subPath, string container)
    {
        var mode = File.GetUnixFileMode(volumeRoot);
        var path = volumeRoot;
        foreach (var part in subPath.Split('/', System.StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                throw new PodEngineException(ErrorIds.InvalidVolume, System.Management.Automation.ErrorCategory.SecurityError, subPath,
                    $"Container '{container}': subPath '{subPath}' goes through a symbolic link inside the volume ({path}); it is not followed.",
                    "Point the subPath at a real folder or file of the volume.");
            }
            if (info.Exists || Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, mode);
        }
        return path;
    }
}
