using System.Threading;

namespace PodShell.Engine;

/// <summary>What a copy moved (for -Verbose); Skipped names what was not copied (devices, sockets, fifos).</summary>
public sealed record ContainerCopyResult(int Files, int Directories, int Links, long Bytes, string Destination, System.Collections.Generic.IReadOnlyList<string> Skipped);

/// <summary>
/// An engine that copies files and folders into and out of a running container, with docker cp's rules:
/// a file onto a folder lands inside it, a folder onto a missing path becomes that path, a folder onto a
/// folder lands inside it (its contents only when the source ends with "/."), symlinks are copied as links.
/// </summary>
public interface IContainerFileCopier
{
    ContainerCopyResult CopyToContainer(string pod, string container, string hostPath, string containerPath, CancellationToken cancel);
    ContainerCopyResult CopyFromContainer(string pod, string container, string containerPath, string hostPath, CancellationToken cancel);
}
