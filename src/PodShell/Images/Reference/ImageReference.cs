using System;
using System.Text.RegularExpressions;

namespace PodShell.Images.Reference;

/// <summary>
/// An image reference as docker and podman read it: [registry[:port]/]path[:tag][@digest]. A name without
/// a registry is on Docker Hub (docker.io), and a one-part Docker Hub name is under library/ (busybox ->
/// docker.io/library/busybox); without tag or digest the tag is "latest".
/// </summary>
public sealed class ImageReference
{
    public const string DockerHub = "docker.io";
    private const string DefaultTag = "latest";

    private static readonly Regex PathComponent = new("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$", RegexOptions.CultureInvariant);
    private static readonly Regex TagPattern = new(@"^[\w][\w.-]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly Regex DomainPattern = new(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$", RegexOptions.CultureInvariant);

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>docker.io, localhost:5000, registry.example.com ...</summary>
    public string Registry { get; }
    /// <summary>The path inside the registry: library/busybox, team/app.</summary>
    public string Repository { get; }
    /// <summary>The tag; null when the reference names only a digest.</summary>
    public string? Tag { get; }
    public Digest? Digest { get; }

    /// <summary>registry/repository, the name without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The tag or digest a registry is asked for.</summary>
    public string Selector => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>The same name with only the tag (for tagging what was pulled).</summary>
    public string? TaggedName => Tag is null ? null : $"{Name}:{Tag}";

    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, null, digest);
    public ImageReference WithRegistry(string registry, string repository) => new(registry, repository, Tag, Digest);

    public override string ToString()
    {
        var text = Name;
        if (Tag is not null) text += ":" + Tag;
        if (Digest is { } d) text += "@" + d;
        return text;
    }

    /// <summary>The short form users type back: docker.io/library/busybox:1.36 -> busybox:1.36.</summary>
    public string FamiliarName
    {
        get
        {
            var name = Registry == DockerHub
                ? Repository.StartsWith("library/", StringComparison.Ordinal) ? Repository["library/".Length..] : Repository
                : Name;
            return name;
        }
    }

    public static bool TryParse(string? text, out ImageReference? reference, out string? problem)
    {
        reference = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) { problem = "it is empty"; return false; }
        if (text.Length > 4096) { problem = "it is too long"; return false; }
        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Reference.Digest.TryParse(rest[(at + 1)..], out var d)) { problem = $"'{rest[(at + 1)..]}' is not a digest (sha256:<64 hex digits>)"; return false; }
            digest = d;
            rest = rest[..at];
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern.IsMatch(tag)) { problem = $"'{tag}' is not a valid tag"; return false; }
        }
        var parts = rest.Split('/');
        string registry;
        int first;
        if (parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost" || parts[0] != parts[0].ToLowerInvariant()))
        {
            registry = parts[0];
            first = 1;
            if (!DomainPattern.IsMatch(registry)) { problem = $"'{registry}' is not a valid registry host"; return false; }
            if (registry == "index.docker.io") registry = DockerHub;
        }
        else
        {
            registry = DockerHub;
            first = 0;
        }
        var path = string.Join('/', parts[first..]);
        if (path.Length == 0) { problem = "it has no repository"; return false; }
        foreach (var component in parts[first..])
        {
            if (!PathComponent.IsMatch(component))
            {
                problem = $"'{component}' is not a valid repository component (lower-case letters, digits and separators . _ __ -)";
                return false;
            }
        }
        if (registry == DockerHub && !path.Contains('/')) path = "library/" + path;
        if (tag is null && digest is null) tag = DefaultTag;
        reference = new ImageReference(registry, path, tag, digest);
        return true;
    }

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var problem) ? reference! : throw new FormatException($"'{text}' is not an image reference: {problem}.");
}
