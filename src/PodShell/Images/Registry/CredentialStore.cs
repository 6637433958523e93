using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PodShell.Images.Registry;

/// <summary>
/// Registry credentials from the files docker and podman write on login: $REGISTRY_AUTH_FILE,
/// $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, then $DOCKER_CONFIG/config.json
/// (~/.docker/config.json). Keys may be a host, a URL, or host/repository (podman's per-repository logins).
/// </summary>
public static class CredentialStore
{
    public static IEnumerable<string> AuthFiles()
    {
        var explicitFile = Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE");
        if (!string.IsNullOrEmpty(explicitFile)) yield return explicitFile;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime)) yield return Path.Combine(runtime, "containers/auth.json");
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        yield return Path.Combine(string.IsNullOrEmpty(configHome) ? Path.Combine(home, ".config") : configHome, "containers/auth.json");
        var dockerConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        yield return Path.Combine(string.IsNullOrEmpty(dockerConfig) ? Path.Combine(home, ".docker") : dockerConfig, "config.json");
    }

    /// <summary>The login for a registry host and repository, or null.</summary>
    public static NetworkCredential? Find(string registry, string repository)
    {
        foreach (var file in AuthFiles())
        {
            if (!File.Exists(file)) continue;
            var found = FindIn(file, registry, repository);
            if (found is not null) return found;
        }
        return null;
    }

    internal static NetworkCredential? FindIn(string file, string registry, string repository)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object) return null;
            var wanted = $"{registry}/{repository}";
            var best = auths.EnumerateObject()
                .Select(p => (Property: p, Key: NormalizeKey(p.Name)))
                .Where(p => p.Key == registry || wanted == p.Key || wanted.StartsWith(p.Key + "/", StringComparison.Ordinal))
                .OrderByDescending(p => p.Key.Length)
                .Select(p => p.Property)
                .FirstOrDefault();
            return best.Value.ValueKind == JsonValueKind.Object ? Decode(best.Value) : null;
        }
    }

    private static string NormalizeKey(string key)
    {
        var k = key;
        var scheme = k.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) k = k[(scheme + 3)..];
        if (k.EndsWith("/v1/", StringComparison.Ordinal) || k.EndsWith("/v2/", StringComparison.Ordinal)) k = k[..^4];
        k = k.TrimEnd('/');
        return k is "index.docker.io" or "registry-1.docker.io" ? Reference.ImageReference.DockerHub : k;
    }

    private static NetworkCredential? Decode(JsonElement entry)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && auth.GetString() is { Length: > 0 } encoded)
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }
            var colon = text.IndexOf(':');
            return colon < 0 ? null : new NetworkCredential(text[..colon], text[(colon + 1)..]);
        }
        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password))
        {
            return new NetworkCredential(user.GetString(), password.GetString());
        }
        return null;
    }
}
