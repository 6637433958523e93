namespace PodShell.Manifest;

/// <summary>What PodShell did with one field of a manifest.</summary>
public enum ManifestFieldStatus { Applied, Ignored, Unsupported }

/// <summary>One line of a manifest's field report (`New-Pod -Verbose`, `ConvertFrom-PodManifest`).</summary>
public sealed class ManifestField
{
    public string Pod { get; init; } = "";
    /// <summary>The field as Kubernetes names it: spec.containers[0].resources.limits.memory.</summary>
    public string Path { get; init; } = "";
    public ManifestFieldStatus Status { get; init; }
    /// <summary>Why a field is Ignored or Unsupported; empty for Applied.</summary>
    public string Reason { get; init; } = "";
    public int Line { get; init; }
    public int Column { get; init; }

    public override string ToString() => Reason.Length == 0 ? $"{Status} {Path}" : $"{Status} {Path}: {Reason}";
}
