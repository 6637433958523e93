using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Images.Reference;
using PodShell.Engine;

namespace PodShell.Images.Registry;

/// <summary>
/// Where an image is pulled from: the registries.conf(5) rules containers users know ([[registry]] with
/// prefix, location, insecure, blocked, mirror-by-digest-only, and [[registry.mirror]] entries), plus
/// PodShell's own settings: PODSHELL_REGISTRY_MIRRORS ("docker.io=127.0.0.1:5000/hub;quay.io=..."; several
/// mirrors of one prefix separated by ",") and PODSHELL_INSECURE_REGISTRIES ("host:port,...").
/// </summary>
public sealed class RegistriesConfig
{
    public const string ConfigPathVariable = "PODSHELL_REGISTRIES_CONF";
    public const string MirrorsVariable = "PODSHELL_REGISTRY_MIRRORS";
    public const string InsecureVariable = "PODSHELL_INSECURE_REGISTRIES";
    public const string SystemConfigPath = "/etc/containers/registries.conf";

    public List<RegistryEntry> Registries { get; } = new();
    public HashSet<string> InsecureHosts { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The files read, for messages.</summary>
    public List<string> Sources { get; } = new();

    /// <summary>
    /// Reads the given file, else $PODSHELL_REGISTRIES_CONF, else the user's ~/.config/containers/registries.conf,
    /// else /etc/containers/registries.conf (with its registries.conf.d drop-ins); then PodShell's variables.
    /// </summary>
    public static RegistriesConfig Load(string? path = null)
    {
        var config = new RegistriesConfig();
        var file = path ?? NonEmpty(Environment.GetEnvironmentVariable(ConfigPathVariable));
        if (file is null)
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            var user = home is null ? null : Path.Combine(home, ".config/containers/registries.conf");
            file = user is not null && File.Exists(user) ? user : SystemConfigPath;
        }
        if (path is not null && !File.Exists(path)) throw new FileNotFoundException($"The registries configuration '{path}' does not exist.", path);
        if (File.Exists(file)) config.Read(file);
        var dropIns = file + ".d";
        if (Directory.Exists(dropIns))
        {
            foreach (var dropIn in Directory.GetFiles(dropIns, "*.conf").OrderBy(f => f, StringComparer.Ordinal)) config.Read(dropIn);
        }
        config.ReadVariables();
        return config;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private void Read(string file)
    {
        Sources.Add(file);
        var document = TomlLite.Parse(File.ReadAllText(file), file);
        foreach (var table in document.ArrayTables("registry"))
        {
            var entry = new RegistryEntry
            {
                Prefix = table.String("prefix") ?? "",
                Location = table.String("location") ?? "",
                Insecure = table.Bool("insecure") ?? false,
                Blocked = table.Bool("blocked") ?? false,
                MirrorByDigestOnly = table.Bool("mirror-by-digest-only") ?? false,
            };
            if (entry.Prefix.Length == 0) entry.Prefix = entry.Location;
            foreach (var mirror in table.Children("mirror"))
            {
                entry.Mirrors.Add(new MirrorEntry
                {
                    Location = mirror.String("location") ?? "",
                    Insecure = mirror.Bool("insecure") ?? false,
                    PullFromMirror = mirror.String("pull-from-mirror") ?? "all",
                });
            }
            // A later file's entry for the same prefix replaces an earlier one, as with drop-ins.
            Registries.RemoveAll(r => r.Prefix == entry.Prefix);
            Registries.Add(entry);
        }
        foreach (var host in document.FindTable("registries.insecure")?.Strings("registries") ?? new List<string>()) InsecureHosts.Add(host);
    }

    private void ReadVariables()
    {
        foreach (var rule in (Environment.GetEnvironmentVariable(MirrorsVariable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = rule.IndexOf('=');
            if (equals <= 0) throw new FormatException($"{MirrorsVariable}: '{rule}' is not prefix=mirror[,mirror...].");
            var prefix = rule[..equals].Trim();
            var entry = Registries.FirstOrDefault(r => r.Prefix == prefix);
            if (entry is null)
            {
                entry = new RegistryEntry { Prefix = prefix, Location = prefix };
                Registries.Add(entry);
            }
            foreach (var mirror in rule[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                entry.Mirrors.Insert(0, new MirrorEntry { Location = mirror });
            }
        }
        foreach (var host in (Environment.GetEnvironmentVariable(InsecureVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            InsecureHosts.Add(host);
        }
    }

    /// <summary>The places to try for a reference, in order: its mirrors, then the registry itself (possibly relocated).</summary>
    public IReadOnlyList<PullSource> SourcesFor(ImageReference reference)
    {
        var entry = Match(reference);
        var sources = new List<PullSource>();
        if (entry is null)
        {
            sources.Add(new PullSource(reference, IsInsecure(reference.Registry), false));
            return sources;
        }
        if (entry.Blocked)
        {
            throw ImageErrors.Registry(ErrorIds.RegistryBlocked, $"Pulling from '{entry.Prefix}' is blocked by the registries configuration ({string.Join(", ", Sources)}).",
                "Pull from another registry, or remove blocked = true from that [[registry]] entry.");
        }
        foreach (var mirror in entry.Mirrors)
        {
            var byDigest = reference.Digest is not null;
            if (entry.MirrorByDigestOnly && !byDigest) continue;
            if (mirror.PullFromMirror == "digest-only" && !byDigest) continue;
            if (mirror.PullFromMirror == "tag-only" && byDigest) continue;
            var relocated = Relocate(reference, entry.Prefix, mirror.Location);
            sources.Add(new PullSource(relocated, mirror.Insecure || IsInsecure(relocated.Registry), true));
        }
        var origin = entry.Location.Length == 0 ? reference : Relocate(reference, entry.Prefix, entry.Location);
        sources.Add(new PullSource(origin, entry.Insecure || IsInsecure(origin.Registry), false));
        return sources;
    }

    public bool IsInsecure(string host) =>
        InsecureHosts.Contains(host) || Registries.Any(r => r.Insecure && (r.Location == host || r.Prefix == host));

    private RegistryEntry? Match(ImageReference reference)
    {
        RegistryEntry? best = null;
        var bestLength = -1;
        foreach (var entry in Registries)
        {
            var length = MatchLength(entry.Prefix, reference);
            if (length > bestLength)
            {
                best = entry;
                bestLength = length;
            }
        }
        return best;
    }

    private static int MatchLength(string prefix, ImageReference reference)
    {
        if (prefix.StartsWith("*.", StringComparison.Ordinal))
        {
            return reference.Registry.EndsWith(prefix[1..], StringComparison.OrdinalIgnoreCase) ? prefix.Length : -1;
        }
        var name = reference.Name;
        if (name == prefix || name.StartsWith(prefix + "/", StringComparison.Ordinal)) return prefix.Length;
        return -1;
    }

    private static ImageReference Relocate(ImageReference reference, string prefix, string location)
    {
        var rest = prefix.StartsWith("*.", StringComparison.Ordinal) ? "/" + reference.Repository : reference.Name[prefix.Length..];
        var target = location.TrimEnd('/') + rest;
        var slash = target.IndexOf('/');
        if (slash <= 0) throw new FormatException($"Mirror location '{location}' gives no repository for {reference}.");
        return reference.WithRegistry(target[..slash], target[(slash + 1)..]);
    }
}

public sealed class RegistryEntry
{
    public string Prefix { get; set; } = "";
    public string Location { get; set; } = "";
    public bool Insecure { get; set; }
    public bool Blocked { get; set; }
    public bool MirrorByDigestOnly { get; set; }
    public List<MirrorEntry> Mirrors { get; } = new();
}

public sealed class MirrorEntry
{
    public string Location { get; set; } = "";
    public bool Insecure { get; set; }
    /// <summary>all, digest-only or tag-only.</summary>
    public string PullFromMirror { get; set; } = "all";
}

/// <summary>One place to pull from: the reference as that registry names it, and whether plain HTTP is allowed there.</summary>
public sealed record PullSource(ImageReference Reference, bool Insecure, bool IsMirror);
