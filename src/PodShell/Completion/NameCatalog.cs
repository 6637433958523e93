using System;
using System.Collections.Generic;
using System.Linq;
using PodShell.Engine;
using PodShell.Native;

namespace PodShell.Completion;

/// <summary>
/// Pod and container names for tab completion, read cheaply: the native engine's folder names (no pod
/// state, no process checks), other engines' pod lists. Never throws: completion offers what it can.
/// </summary>
internal static class NameCatalog
{
    public static IEnumerable<string> PodNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var engine in Engines())
        {
            try
            {
                if (engine is NativeEngine native) names.UnionWith(native.Store.ListPodNames());
                else names.UnionWith(engine.GetPods().Select(p => p.Name));
            }
            catch (Exception e) when (e is UnauthorizedAccessException or System.IO.IOException or PodEngineException)
            {
            }
        }
        return names;
    }

    public static IEnumerable<string> ContainerNames(string pod)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var engine in Engines())
        {
            try
            {
                if (engine is NativeEngine native)
                {
                    if (NameValidator.IsSubdomain(pod)) names.UnionWith(native.Store.ListContainerNames(pod));
                }
                else if (engine.HasPod(pod))
                {
                    names.UnionWith(engine.GetContainers(pod).Select(c => c.Name));
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or System.IO.IOException or PodEngineException)
            {
            }
        }
        return names;
    }

    private static IEnumerable<IPodEngine> Engines()
    {
        try
        {
            return EngineRegistry.All().ToList();
        }
        catch (PodEngineException)
        {
            return Array.Empty<IPodEngine>();
        }
    }
}
