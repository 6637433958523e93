using System.Collections.Generic;
using System.Linq;
using PodShell.Model;
using PodShell.Native;

namespace PodShell.Engine;

/// <summary>Finds the engine for a request, and the engine that owns an existing pod.</summary>
public static class EngineRegistry
{
    public static IPodEngine Get(PodEngineKind kind) => kind switch
    {
        PodEngineKind.Native => new NativeEngine(),
        _ => throw new PodEngineException("EngineNotAvailable", System.Management.Automation.ErrorCategory.NotImplemented, kind,
            $"The {kind} engine is not part of this build of PodShell.", "Use -Engine Native."),
    };

    public static IEnumerable<IPodEngine> All() => new IPodEngine[] { new NativeEngine() };

    /// <summary>The engine holding a pod of that name, or null.</summary>
    public static IPodEngine? Owner(string pod) => All().FirstOrDefault(e => e.GetPod(pod) is not null);
}
