using System.Threading;

namespace PodShell.Engine;

/// <summary>An engine that can verify a running pod's network is still as it was set up (CNI CHECK for the native engine).</summary>
public interface IPodNetworkCheck
{
    /// <summary>
    /// Checks the pod's network; throws a PodEngineException (NetworkCheckFailed) when it is not as set up.
    /// Returns false when there was nothing the engine could check (no network of its own, or a network whose version has no CHECK).
    /// </summary>
    bool CheckPodNetwork(string pod, CancellationToken cancel);
}
