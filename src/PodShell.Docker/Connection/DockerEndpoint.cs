using System;
using System.Net;
using PodShell.Engine;

namespace PodShell.Docker.Connection;

/// <summary>Where the daemon listens: DOCKER_HOST (unix:// or tcp://), else the standard socket.</summary>
public sealed class DockerEndpoint
{
    public const string HostVariable = "DOCKER_HOST";
    public const string DefaultSocket = "/var/run/docker.sock";

    private DockerEndpoint(Uri uri, string display, bool isUnix, bool isLocal)
    {
        Uri = uri;
        Display = display;
        IsUnixSocket = isUnix;
        IsLocal = isLocal;
    }

    /// <summary>The address Docker.DotNet connects to (tcp:// is spoken as http://).</summary>
    public Uri Uri { get; }
    /// <summary>The socket path or host:port, as error messages name it.</summary>
    public string Display { get; }
    public bool IsUnixSocket { get; }
    /// <summary>The daemon runs on this node: its containers' pids and cgroups are ours to read.</summary>
    public bool IsLocal { get; }

    /// <summary>Named by DOCKER_HOST (rather than the default socket, which a node without Docker lacks).</summary>
    public bool IsExplicit { get; private init; }

    public static DockerEndpoint FromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable(HostVariable);
        var endpoint = Parse(host);
        return string.IsNullOrWhiteSpace(host) ? endpoint : new DockerEndpoint(endpoint.Uri, endpoint.Display, endpoint.IsUnixSocket, endpoint.IsLocal) { IsExplicit = true };
    }

    /// <summary>No daemon here at all: nothing set DOCKER_HOST and the default socket does not exist.</summary>
    public bool IsAbsent => !IsExplicit && IsUnixSocket && !System.IO.File.Exists(Display);

    public static DockerEndpoint Parse(string? host)
    {
        if (string.IsNullOrWhiteSpace(host)) host = "unix://" + DefaultSocket;
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host.Substring("unix://".Length);
            return new DockerEndpoint(new Uri("unix://" + path), path, isUnix: true, isLocal: true);
        }
        if (host.StartsWith("tcp://", StringComparison.Ordinal) || host.StartsWith("http://", StringComparison.Ordinal))
        {
            var uri = new Uri("http://" + host.Substring(host.IndexOf("://", StringComparison.Ordinal) + 3));
            var local = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
            return new DockerEndpoint(uri, $"{uri.Host}:{uri.Port}", isUnix: false, isLocal: local);
        }
        throw new PodEngineException(ErrorIds.DockerHostInvalid, System.Management.Automation.ErrorCategory.InvalidArgument, host,
            $"DOCKER_HOST '{host}' is neither a unix:// socket nor a tcp:// address.",
            "Set DOCKER_HOST to unix:///var/run/docker.sock or tcp://host:2375, or remove it to use the default socket.");
    }

    public override string ToString() => IsUnixSocket ? "unix://" + Display : "tcp://" + Display;
}
