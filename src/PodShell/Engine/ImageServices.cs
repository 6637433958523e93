using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>How cmdlets reach an engine's image store.</summary>
public static class ImageServices
{
    public static IImageService For(IPodEngine engine) =>
        engine as IImageService ?? throw new PodEngineException(ErrorIds.EngineHasNoImageStore, ErrorCategory.NotImplemented, engine.Kind,
            $"The {engine.Kind} engine keeps no image store of PodShell's.", "Use the native engine's images (-Engine Native).");

    public static IImageService For(PodEngineKind kind) => For(EngineRegistry.Get(kind));
}
