using System.Threading;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// An engine that can freeze every process of a pod and thaw it again (podman pod pause/unpause); the
/// pod's state is then Paused. Engines that cannot say so through Suspend-Pod's error.
/// </summary>
public interface IPodFreezer
{
    Pod SuspendPod(string name, CancellationToken cancel);
    Pod ResumePod(string name, CancellationToken cancel);
}
