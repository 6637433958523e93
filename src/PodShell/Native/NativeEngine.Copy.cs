using System.Management.Automation;
using System.Threading;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Protocol;

namespace PodShell.Native;

/// <summary>Copy-PodItem for the native engine: through the running container's root (see ContainerRootCopy).</summary>
public sealed partial class NativeEngine : IContainerFileCopier
{
    public ContainerCopyResult CopyToContainer(string pod, string container, string hostPath, string containerPath, CancellationToken cancel)
    {
        using var root = OpenContainerRoot(pod, container, cancel);
        return root.CopyIn(hostPath, containerPath);
    }

    public ContainerCopyResult CopyFromContainer(string pod, string container, string containerPath, string hostPath, CancellationToken cancel)
    {
        using var root = OpenContainerRoot(pod, container, cancel);
        return root.CopyOut(containerPath, hostPath);
    }

    private ContainerRootCopy OpenContainerRoot(string podName, string name, CancellationToken cancel)
    {
        RequireRoot();
        var pod = LoadPod(podName);
        RequireContainer(pod, name);
        var status = _store.ReadStatus(pod.Name, name);
        var main = status is null ? default : new ProcessIdentity(status.Pid, status.PidStartTime);
        if (status is null || status.State != ContainerRunState.Running || !_processes.IsAlive(main))
        {
            throw new PodEngineException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, $"{podName}/{name}",
                $"Container '{name}' of pod '{podName}' is not running: its files are reached through its running process.",
                $"Start it: Start-PodContainer {podName} {name}.");
        }
        var root = ContainerRootCopy.Open(main.Pid, $"{podName}/{name}", cancel);
        // The pid was the container's when read; held open, the root is only trusted if it still is.
        if (!_processes.IsAlive(main))
        {
            root.Dispose();
            throw new PodEngineException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, $"{podName}/{name}",
                $"Container '{name}' of pod '{podName}' exited while the copy started.", "Try again once it runs.");
        }
        return root;
    }
}
