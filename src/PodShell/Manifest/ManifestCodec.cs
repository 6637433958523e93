using System;
using System.Linq;
using PodShell.Loader;

namespace PodShell.Manifest;

/// <summary>The YAML adapter, loaded once, on first use, in PodShell's own load context.</summary>
public static class ManifestCodec
{
    public const string AdapterAssembly = "PodShell.Manifest";

    private static readonly Lazy<IManifestCodec> s_instance = new(Load);

    public static IManifestCodec Instance => s_instance.Value;

    private static IManifestCodec Load()
    {
        var assembly = DependencyLoadContext.Instance.LoadAdapter(AdapterAssembly);
        var type = assembly.GetExportedTypes().FirstOrDefault(t => typeof(IManifestCodec).IsAssignableFrom(t) && !t.IsAbstract)
            ?? throw new InvalidOperationException($"{AdapterAssembly} has no {nameof(IManifestCodec)}.");
        return (IManifestCodec)Activator.CreateInstance(type)!;
    }
}
