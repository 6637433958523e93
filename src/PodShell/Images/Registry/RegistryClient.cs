using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PodShell.Images.Oci;
using PodShell.Images.Reference;
using PodShell.Engine;

namespace PodShell.Images.Registry;

/// <summary>
/// The registry v2 / OCI distribution API for one repository: manifests and blobs over HTTPS (plain HTTP only
/// for a loopback registry or one named insecure), with Docker's token (Bearer) and Basic authentication.
/// </summary>
public sealed class RegistryClient
{
    /// <summary>Manifests and configs larger than this are refused (as containerd does).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;
    private const string DockerHubEndpoint = "registry-1.docker.io";

    private static readonly HttpClient s_verified = NewClient(insecure: false);
    private static readonly HttpClient s_insecure = NewClient(insecure: true);
    /// <summary>The scheme that worked for a host, so later requests do not probe again.</summary>
    private static readonly ConcurrentDictionary<string, string> s_schemes = new(StringComparer.OrdinalIgnoreCase);

    private readonly ImageReference _reference;
    private readonly bool _insecure;
    private readonly NetworkCredential? _credential;
    private readonly bool _credentialGiven;
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(PullSource source, NetworkCredential? credential)
    {
        _reference = source.Reference;
        _insecure = source.Insecure;
        _credentialGiven = credential is not null;
        _credential = credential ?? CredentialStore.Find(source.Reference.Registry, source.Reference.Repository);
    }

    public ImageReference Reference => _reference;
    private string Host => _reference.Registry == ImageReference.DockerHub ? DockerHubEndpoint : _reference.Registry;
    private bool PlainHttpAllowed => _insecure || IsLoopback(_reference.Registry);
    private HttpClient Http => _insecure ? s_insecure : s_verified;

    private static HttpClient NewClient(bool insecure)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            MaxConnectionsPerServer = 8,
        };
        if (insecure) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public static bool IsLoopback(string registry)
    {
        var host = registry;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']')];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>A manifest or index by tag or digest: its bytes, media type and digest (verified when asked by digest).</summary>
    public async Task<FetchedManifest> GetManifestAsync(string selector, CancellationToken cancel)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{_reference.Repository}/manifests/{selector}");
            foreach (var type in MediaTypes.ManifestAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ManifestNotFoundException($"{_reference.Name}:{selector}");
        }
        EnsureSuccess(response, $"the manifest {_reference.Name}:{selector}");
        var length = response.Content.Headers.ContentLength;
        if (length > MaxManifestBytes) throw ImageErrors.Invalid(ErrorIds.ManifestTooLarge, $"The manifest of {_reference} is {length} bytes, more than the {MaxManifestBytes} allowed.", null, _reference.ToString());
        var bytes = await ReadLimitedAsync(response.Content, MaxManifestBytes, cancel).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType == "application/json") mediaType = SniffMediaType(bytes);
        var digest = Digest.Sha256Of(bytes);
        if (Digest.TryParse(selector, out var asked))
        {
            if (!asked.Matches(bytes))
            {
                throw ImageErrors.Invalid(ErrorIds.DigestMismatch, $"The registry {_reference.Registry} answered {_reference.Name}@{asked} with a manifest of another digest.",
                    "The registry or a proxy in between altered the content; pull from another source.", _reference.ToString());
            }
            digest = asked;
        }
        return new FetchedManifest(bytes, mediaType, digest);
    }

    /// <summary>The media type written in the document itself, for registries that send application/json.</summary>
    internal static string SniffMediaType(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.TryGetProperty("mediaType", out var type) && type.GetString() is { Length: > 0 } t) return t;
        if (root.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
        if (root.TryGetProperty("schemaVersion", out var version) && version.GetInt32() == 1) return MediaTypes.DockerManifestV1Signed;
        return MediaTypes.OciManifest;
    }

    /// <summary>A blob's bytes as a stream (the caller verifies digest and size while reading).</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(Digest digest, CancellationToken cancel)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"/v2/{_reference.Repository}/blobs/{digest}"), cancel).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw ImageErrors.Registry(ErrorIds.BlobNotFound, $"The registry {_reference.Registry} has no blob {digest} in {_reference.Repository}.", "The image is incomplete in that registry; push it again.", digest.ToString());
            }
            EnsureSuccess(response, $"the blob {digest}");
            return response;
        }
    }

    public async Task<byte[]> GetSmallBlobAsync(Digest digest, long size, CancellationToken cancel)
    {
        if (size > MaxManifestBytes) throw ImageErrors.Invalid(ErrorIds.ConfigTooLarge, $"The blob {digest} is {size} bytes, more than the {MaxManifestBytes} allowed for a config.", null, digest.ToString());
        using var response = await GetBlobAsync(digest, cancel).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, MaxManifestBytes, cancel).ConfigureAwait(false);
        if (bytes.Length != size || !digest.Matches(bytes))
        {
            throw ImageErrors.Invalid(ErrorIds.DigestMismatch, $"The blob {digest} from {_reference.Registry} does not match its digest or size ({bytes.Length} bytes, {size} expected); nothing was kept.",
                "The registry or a proxy in between altered the content; pull from another source.", digest.ToString());
        }
        return bytes;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancel)
    {
        await using var stream = await content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) throw ImageErrors.Invalid(ErrorIds.ManifestTooLarge, $"A document from the registry is larger than the {limit} bytes allowed.", null, null);
        }
        return buffer.ToArray();
    }

    private void EnsureSuccess(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw AuthFailed();
        }
        throw ImageErrors.Registry(ErrorIds.RegistryError, $"The registry {_reference.Registry} answered {(int)response.StatusCode} {response.ReasonPhrase} for {what}.",
            "Check the reference and that the registry works (curl its /v2/ endpoint).", _reference.ToString());
    }

    private Engine.PodEngineException AuthFailed()
    {
        if (_credential is null)
        {
            return ImageErrors.Auth(ErrorIds.RegistryAuthenticationRequired, $"The registry {_reference.Registry} asks for credentials to pull {_reference.Name}.",
                "Pass -Credential (Get-Credential), or log in with podman login / docker login so the auth file holds them.", _reference.ToString());
        }
        return ImageErrors.Auth(ErrorIds.RegistryAuthenticationFailed,
            $"The registry {_reference.Registry} refused the credentials of user '{_credential.UserName}' for {_reference.Name}{(_credentialGiven ? "" : " (from the auth file)")}.",
            "Check the user name and password, and that the user may pull that repository.", _reference.ToString());
    }

    /// <summary>Sends with the cached authorization; on a 401 answers the challenge once and sends again.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancel)
    {
        var response = await SendOnceAsync(make, cancel).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
        response.Dispose();
        if (challenge is null) throw AuthFailed();
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (_credential is null || _authorization?.Scheme == "Basic") throw AuthFailed();
            _authorization = BasicHeader(_credential);
        }
        else
        {
            _authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(challenge, cancel).ConfigureAwait(false));
        }
        response = await SendOnceAsync(make, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw AuthFailed();
        }
        return response;
    }

    private static AuthenticationHeaderValue BasicHeader(NetworkCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}")));

    private async Task<string> FetchTokenAsync(AuthChallenge challenge, CancellationToken cancel)
    {
        var realm = challenge["realm"];
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw ImageErrors.Registry(ErrorIds.RegistryAuthenticationFailed, $"The registry {_reference.Registry} asked for a token without a usable realm.", null, _reference.ToString());
        }
        if (realmUri.Scheme != Uri.UriSchemeHttps && !(PlainHttpAllowed || IsLoopback(realmUri.Authority)))
        {
            throw ImageErrors.Registry(ErrorIds.InsecureTokenRealm, $"The registry {_reference.Registry} sends credentials to a plain-HTTP token service ({realm}).",
                "Name the registry as insecure if you trust that network.", _reference.ToString());
        }
        var query = new StringBuilder();
        if (challenge["service"] is { } service) query.Append("service=").Append(Uri.EscapeDataString(service));
        var scope = challenge["scope"] ?? $"repository:{_reference.Repository}:pull";
        if (query.Length > 0) query.Append('&');
        query.Append("scope=").Append(Uri.EscapeDataString(scope));
        var uri = new UriBuilder(realmUri) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (_credential is not null) request.Headers.Authorization = BasicHeader(_credential);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) throw AuthFailed();
        if (!response.IsSuccessStatusCode)
        {
            throw ImageErrors.Registry(ErrorIds.RegistryAuthenticationFailed, $"The token service {realmUri.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, _reference.ToString());
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false));
        foreach (var name in new[] { "token", "access_token" })
        {
            if (document.RootElement.TryGetProperty(name, out var token) && token.GetString() is { Length: > 0 } value) return value;
        }
        throw ImageErrors.Registry(ErrorIds.RegistryAuthenticationFailed, $"The token service {realmUri.Authority} answered without a token.", null, _reference.ToString());
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> make, CancellationToken cancel)
    {
        var schemes = s_schemes.TryGetValue(Host, out var known) ? new[] { known } : PlainHttpAllowed ? new[] { "https", "http" } : new[] { "https" };
        Exception? last = null;
        foreach (var scheme in schemes)
        {
            using var request = make();
            request.RequestUri = new Uri($"{scheme}://{Host}{request.RequestUri!.OriginalString}");
            request.Headers.Authorization = _authorization;
            try
            {
                var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
                s_schemes[Host] = scheme;
                return response;
            }
            catch (HttpRequestException e) when (!cancel.IsCancellationRequested)
            {
                last = e;
            }
        }
        var hint = PlainHttpAllowed || schemes.Length == 1 && schemes[0] == "http" ? "" : " A plain-HTTP registry must be on the loopback address or named insecure (PODSHELL_INSECURE_REGISTRIES, or insecure = true in registries.conf).";
        throw ImageErrors.Registry(ErrorIds.RegistryUnreachable, $"Cannot reach the registry {_reference.Registry}: {Innermost(last!).Message}.{hint}",
            "Check the registry's address and that it runs.", _reference.ToString(), last);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not SocketException) e = e.InnerException;
        return e;
    }
}

public sealed record FetchedManifest(byte[] Bytes, string MediaType, Digest Digest);

/// <summary>The registry has no such manifest (the next source may).</summary>
public sealed class ManifestNotFoundException(string what) : Exception($"No manifest {what}.");
