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
        // The Docker engine (one per DOCKER_HOST, its adapter loaded on first use) manages the daemon's networks.
        [PodEngineKind.Docker] = () => EngineRegistry.Get(PodEngineKind.Docker) as IPodNetworkManager
            ?? throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, PodEngineKind.Docker,
                "The Docker engine of this build has no network support.", "Use -Engine Native."),
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
        return TryGet(kind) ?? throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, kind,
            $"The {kind} engine has no network support in this build of PodShell.", "Use -Engine Native.");
    }

    /// <summary>Every engine's network manager, the native one first; an engine whose adapter is missing is left out.</summary>
    public static IEnumerable<IPodNetworkManager> All()
    {
        List<Func<IPodNetworkManager>> factories;
        lock (s_gate) factories = s_factories.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        var managers = new List<IPodNetworkManager>();
        foreach (var factory in factories)
        {
            try
            {
                managers.Add(factory());
            }
            catch (PodEngineException e) when (e.ErrorId == ErrorIds.EngineNotAvailable)
            {
            }
        }
        return managers;
    }
}
