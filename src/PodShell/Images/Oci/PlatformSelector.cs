using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace PodShell.Images.Oci;

/// <summary>Picks the node's platform from an image index, as containerd's default matcher does.</summary>
public static class PlatformSelector
{
    public static Platform Node()
    {
        return RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => new Platform { Os = "linux", Architecture = "amd64" },
            Architecture.Arm64 => new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
            Architecture.Arm => new Platform { Os = "linux", Architecture = "arm", Variant = "v7" },
            Architecture.X86 => new Platform { Os = "linux", Architecture = "386" },
            var other => new Platform { Os = "linux", Architecture = other.ToString().ToLowerInvariant() },
        };
    }

    /// <summary>The best manifest for the node, or null when the index has none for it.</summary>
    public static Descriptor? Select(IEnumerable<Descriptor> manifests, Platform want)
    {
        return manifests
            .Where(m => MediaTypes.IsManifest(m.MediaType) || MediaTypes.IsIndex(m.MediaType) || string.IsNullOrEmpty(m.MediaType))
            .Where(m => m.Platform is { } p && p.Os == want.Os && p.Architecture == want.Architecture && VariantFits(p.Variant, want))
            .OrderBy(m => string.Equals(m.Platform!.Variant, want.Variant, StringComparison.Ordinal) ? 0 : 1)
            .FirstOrDefault();
    }

    // arm64 images often leave the variant out (it is v8); an exact variant is preferred by the caller's ordering.
    private static bool VariantFits(string? variant, Platform want) =>
        string.IsNullOrEmpty(variant) || string.IsNullOrEmpty(want.Variant) || variant == want.Variant;
}
