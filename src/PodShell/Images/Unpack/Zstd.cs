using System;
using System.IO;
using System.Reflection;
using PodShell.Loader;

namespace PodShell.Images.Unpack;

/// <summary>
/// zstd decompression from ZstdSharp, loaded from the module's Dependencies/ folder into PodShell's own load
/// context (as every third-party assembly is), so another module's ZstdSharp in the session cannot clash.
/// Only System.IO.Stream crosses the boundary.
/// </summary>
internal static class Zstd
{
    private static readonly Lazy<ConstructorInfo> s_constructor = new(() =>
    {
        Assembly assembly;
        try
        {
            assembly = DependencyLoadContext.Instance.LoadAdapter("ZstdSharp");
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException)
        {
            throw new InvalidOperationException($"ZstdSharp.dll is missing from {DependencyLoadContext.DefaultDirectory}: rebuild the module (./build.ps1 Build).", e);
        }
        var type = assembly.GetType("ZstdSharp.DecompressionStream", throwOnError: true)!;
        return type.GetConstructor(new[] { typeof(Stream), typeof(int), typeof(bool), typeof(bool) })
            ?? throw new InvalidOperationException("This ZstdSharp has no DecompressionStream(Stream, int, bool, bool).");
    });

    public static Stream Decompress(Stream compressed) =>
        (Stream)s_constructor.Value.Invoke(new object[] { compressed, 0, true, false });
}
