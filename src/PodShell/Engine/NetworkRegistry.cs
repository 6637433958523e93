using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>Finds the network manager of an engine; adapters (Docker) register theirs.</summary>
public static class NetworkRegistry
{
    private static readonly Dictionary<PodEngineKind, Func<IPodNetworkManager>> s_factories = new()
    {
        [PodEngineKind.Native] = () => Network.CniNetworkManager.Instance,
    };
    private static readonly object s_gate = new();

    public static void Register(PodEngineKind kind, Func<IPodNetworkManager> factory)
    {
        lock (s_gate) s_factories[kind] = factory;
    }

    /// <summary>The engine's network manager, or null when none is registered for it.</summary>
    public static IPodNetworkManager? TryGet(PodEngineKind kind)
    {
        Func<IPodNetworkManager>? factory;
        lock (s_gate) s_factories.TryGetValue(kind, out factory);
        return factory?.Invoke();
    }

    public static IPodNetworkManager Get(PodEngineKind kind)
    {
        return TryGet(kind) ?? throw new PodEngineException("EngineNotAvailable", ErrorCategory.NotImplemented, kind,
            $"The {kind} engine has no network support in this build of PodShell.", "Use -Engine Native.");
    }

    public static IEnumerable<IPodNetworkManager> All()
    {
        List<Func<IPodNetworkManager>> factories;
        lock (s_gate) factories = s_factories.Values.ToList();
        return factories.Select(f => f());
    }
}
