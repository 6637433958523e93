namespace PodShell.Images.Oci;

/// <summary>The media types of the OCI image spec and of Docker's v2 schema 2.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNonDistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string DockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>What a registry is asked for, best first.</summary>
    public static readonly string[] ManifestAccept = { OciIndex, DockerManifestList, OciManifest, DockerManifest };

    public static bool IsIndex(string? type) => type is OciIndex or DockerManifestList;
    public static bool IsManifest(string? type) => type is OciManifest or DockerManifest;
    public static bool IsSchema1(string? type) => type is DockerManifestV1Signed or DockerManifestV1;

    public static LayerCompression CompressionOf(string mediaType) => mediaType switch
    {
        OciLayer or "application/vnd.oci.image.layer.nondistributable.v1.tar" => LayerCompression.None,
        OciLayerGzip or DockerLayerGzip => LayerCompression.Gzip,
        OciLayerZstd => LayerCompression.Zstd,
        _ => LayerCompression.Unknown,
    };
}

public enum LayerCompression { Unknown, None, Gzip, Zstd }
