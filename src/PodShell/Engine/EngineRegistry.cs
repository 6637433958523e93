using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using PodShell.Loader;
using PodShell.Model;
using PodShell.Native;

namespace PodShell.Engine;

/// <summary>
/// Finds the engine for a request, and the engine that owns an existing pod. Engines are registered as
/// factories (called at each use, so a factory decides what it caches); the native engine always is.
/// </summary>
public static class EngineRegistry
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<PodEngineKind, Func<IPodEngine>> s_factories = new()
    {
        [PodEngineKind.Native] = NativeEngine.ForCurrentRoot,
        [PodEngineKind.Docker] = () => LoadAdapterEngine(PodEngineKind.Docker, "PodShell.Docker"),
    };

    /// <summary>
    /// An adapter's engine, its assembly (and its third-party dependencies) loaded in the isolated context on
    /// first use only: a session that never touches Docker never loads Docker.DotNet.
    /// </summary>
    private static IPodEngine LoadAdapterEngine(PodEngineKind kind, string assemblyName)
    {
        var path = System.IO.Path.Combine(DependencyLoadContext.DefaultDirectory, assemblyName + ".dll");
        if (!System.IO.File.Exists(path))
        {
            throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, kind,
                $"The {kind} engine's adapter ({path}) is missing from this copy of PodShell.", "Rebuild the module (./build.ps1 Build), or use -Engine Native.");
        }
        if (!RegisterAdapter(assemblyName).Contains(kind))
        {
            throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, kind,
                $"{assemblyName} registers no {kind} engine.", "Rebuild the module (./build.ps1 Build).");
        }
        return Get(kind);
    }

    /// <summary>Registers (or replaces) the factory of an engine kind; returns the one it replaced, if any.</summary>
    public static Func<IPodEngine>? Register(PodEngineKind kind, Func<IPodEngine> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (s_gate)
        {
            s_factories.TryGetValue(kind, out var previous);
            s_factories[kind] = factory;
            return previous;
        }
    }

    /// <summary>Removes an engine kind's factory (tests put back what they replaced with Register).</summary>
    public static void Unregister(PodEngineKind kind)
    {
        lock (s_gate) s_factories.Remove(kind);
    }

    public static bool IsRegistered(PodEngineKind kind)
    {
        lock (s_gate) return s_factories.ContainsKey(kind);
    }

    /// <summary>
    /// Loads an adapter assembly (from the module's Dependencies folder, in PodShell's isolated load context) and
    /// registers the engine of every public <see cref="IPodEngineFactory"/> in it. Returns the kinds registered.
    /// </summary>
    public static IReadOnlyList<PodEngineKind> RegisterAdapter(string assemblyName) =>
        RegisterFactories(DependencyLoadContext.Instance.LoadAdapter(assemblyName));

    internal static IReadOnlyList<PodEngineKind> RegisterFactories(Assembly assembly)
    {
        var kinds = new List<PodEngineKind>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsAbstract || !typeof(IPodEngineFactory).IsAssignableFrom(type)) continue;
            var factory = (IPodEngineFactory)Activator.CreateInstance(type)!;
            Register(factory.Kind, factory.Create);
            kinds.Add(factory.Kind);
        }
        return kinds;
    }

    public static IPodEngine Get(PodEngineKind kind)
    {
        Func<IPodEngine>? factory;
        lock (s_gate) s_factories.TryGetValue(kind, out factory);
        if (factory is null)
        {
            throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, kind,
                $"The {kind} engine is not part of this build of PodShell.", "Use -Engine Native.");
        }
        return factory();
    }

    /// <summary>Every registered engine, the native one first; an engine whose adapter is missing is left out.</summary>
    public static IEnumerable<IPodEngine> All()
    {
        List<Func<IPodEngine>> factories;
        lock (s_gate) factories = s_factories.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        foreach (var factory in factories)
        {
            IPodEngine engine;
            try
            {
                engine = factory();
            }
            catch (PodEngineException e) when (e.ErrorId == ErrorIds.EngineNotAvailable)
            {
                continue;
            }
            yield return engine;
        }
    }

    /// <summary>The engine holding a pod of that name, or null.</summary>
    public static IPodEngine? Owner(string pod) => All().FirstOrDefault(e => e.HasPod(pod));
}
