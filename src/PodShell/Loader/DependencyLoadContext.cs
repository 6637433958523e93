using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace PodShell.Loader;

/// <summary>
/// Loads the backends' third-party assemblies (Docker.DotNet, YamlDotNet) from the module's
/// Dependencies folder in a context of their own, so that another module's copy of the same
/// library in this session cannot clash with ours. PodShell.dll itself stays in the default
/// context so the adapters share its interfaces and models.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<DependencyLoadContext> s_instance = new(() => new DependencyLoadContext(DefaultDirectory));
    private readonly string _directory;

    private DependencyLoadContext(string directory) : base("PodShell.Dependencies", isCollectible: false)
    {
        _directory = directory;
    }

    public static DependencyLoadContext Instance => s_instance.Value;

    public static string DefaultDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies");

    /// <summary>Loads one of the module's adapter assemblies (for example PodShell.Docker, from PodShell.Docker.dll) into this context.</summary>
    public Assembly LoadAdapter(string assemblyName)
    {
        var path = Path.Combine(_directory, assemblyName + ".dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"The adapter {assemblyName} is not in {_directory}.", path);
        // By file: the file name is what the module knows; once loaded, its own dependencies resolve through Load below.
        foreach (var loaded in Assemblies)
        {
            if (string.Equals(loaded.Location, path, StringComparison.Ordinal)) return loaded;
        }
        return LoadFromAssemblyPath(path);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // PodShell.dll is shared with the default context: the adapters implement its interfaces.
        if (string.Equals(assemblyName.Name, "PodShell", StringComparison.Ordinal))
        {
            return typeof(DependencyLoadContext).Assembly;
        }
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
