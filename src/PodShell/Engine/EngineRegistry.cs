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
        PodEngineKind.Native => Native(),
        _ => throw new PodEngineException("EngineNotAvailable", System.Management.Automation.ErrorCategory.NotImplemented, kind,
            $"The {kind} engine is not part of this build of PodShell.", "Use -Engine Native."),
    };

    public static IEnumerable<IPodEngine> All() => new IPodEngine[] { Native() };

    private static NativeEngine? s_native;

    /// <summary>One native engine per state root (PODSHELL_ROOT may change within a session), so its cgroup detection is done once.</summary>
    private static NativeEngine Native()
    {
        var root = new State.StateStore().Root;
        var engine = s_native;
        if (engine is null || engine.Store.Root != root) s_native = engine = new NativeEngine(new State.StateStore(root));
        return engine;
    }

    /// <summary>The engine holding a pod of that name, or null.</summary>
    public static IPodEngine? Owner(string pod) => All().FirstOrDefault(e => e.HasPod(pod));
}
