using System;
using System.Management.Automation;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;
using PodShell.Engine;

namespace PodShell.Docker.Connection;

/// <summary>
/// One client per endpoint, at the API version both sides speak: the daemon's own version when it is older
/// than this library's (Docker 20.10 on Debian speaks 1.41), as the docker CLI negotiates.
/// </summary>
public sealed class DockerConnection : IDisposable
{
    /// <summary>The newest API version Docker.DotNet.Enhanced 4.3 models.</summary>
    public static readonly Version LibraryApiVersion = new(1, 51);
    /// <summary>The oldest this backend uses (ipc shareable, container update with pids).</summary>
    public static readonly Version MinimumApiVersion = new(1, 40);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private DockerConnection(DockerEndpoint endpoint, DockerClient client, Version apiVersion, SystemInfoResponse info)
    {
        Endpoint = endpoint;
        Client = client;
        ApiVersion = apiVersion;
        CgroupDriver = string.IsNullOrEmpty(info.CgroupDriver) ? "cgroupfs" : info.CgroupDriver;
        CgroupVersion = info.CgroupVersion ?? "1";
        ServerVersion = info.ServerVersion ?? "";
    }

    public DockerEndpoint Endpoint { get; }
    public DockerClient Client { get; }
    public Version ApiVersion { get; }
    /// <summary>"cgroupfs" or "systemd": decides how a cgroup parent is named.</summary>
    public string CgroupDriver { get; }
    public string CgroupVersion { get; }
    public string ServerVersion { get; }
    public bool UsesSystemd => string.Equals(CgroupDriver, "systemd", StringComparison.OrdinalIgnoreCase);

    public static DockerConnection Open(DockerEndpoint endpoint, CancellationToken cancel)
    {
        try
        {
            using var probe = Build(endpoint, null);
            var version = Run(() => probe.System.GetVersionAsync(WithTimeout(cancel)), cancel);
            var server = Version.TryParse(version.APIVersion, out var v) ? v : MinimumApiVersion;
            if (server < MinimumApiVersion)
            {
                throw new PodEngineException(ErrorIds.DockerApiTooOld, ErrorCategory.NotImplemented, endpoint.ToString(),
                    $"The Docker daemon at {endpoint.Display} speaks API {server}; PodShell needs {MinimumApiVersion} (Docker 19.03) or newer.",
                    "Upgrade Docker, or use -Engine Native.");
            }
            var negotiated = server < LibraryApiVersion ? server : LibraryApiVersion;
            var client = Build(endpoint, negotiated);
            try
            {
                var info = Run(() => client.System.GetSystemInfoAsync(WithTimeout(cancel)), cancel);
                return new DockerConnection(endpoint, client, negotiated, info);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unavailable(endpoint, e);
        }
    }

    private static DockerClient Build(DockerEndpoint endpoint, Version? apiVersion)
    {
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri);
        if (apiVersion is not null) builder = builder.WithApiVersion(apiVersion);
        return builder.Build();
    }

    private static CancellationToken WithTimeout(CancellationToken cancel)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        source.CancelAfter(ConnectTimeout);
        return source.Token;
    }

    /// <summary>Runs one API call to its end; Ctrl+C (the token) cancels it.</summary>
    public static T Run<T>(Func<Task<T>> call, CancellationToken cancel)
    {
        var task = Task.Run(call, cancel);
        try
        {
            task.Wait(cancel);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }
        return task.Result;
    }

    public static void Run(Func<Task> call, CancellationToken cancel) => Run(async () => { await call().ConfigureAwait(false); return true; }, cancel);

    /// <summary>Whether an exception says the daemon cannot be reached at all (no socket, refused, reset, timed out).</summary>
    public static bool IsUnreachable(Exception e) => e switch
    {
        HttpRequestException or SocketException or System.IO.IOException => true,
        TimeoutException => true,
        AggregateException a => a.InnerExceptions.Count == 1 && IsUnreachable(a.InnerException!),
        OperationCanceledException => false,
        _ => e.InnerException is not null && IsUnreachable(e.InnerException),
    };

    public static PodEngineException Unavailable(DockerEndpoint endpoint, Exception inner) => new(
        ErrorIds.DockerUnavailable, ErrorCategory.ResourceUnavailable, endpoint.ToString(),
        endpoint.IsUnixSocket
            ? $"The Docker daemon cannot be reached at the socket {endpoint.Display}: {Innermost(inner).Message}"
            : $"The Docker daemon cannot be reached at {endpoint.Display}: {Innermost(inner).Message}",
        $"Start dockerd (for example: systemctl start docker), point DOCKER_HOST at a running daemon, or use -Engine Native.",
        inner);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    public void Dispose() => Client.Dispose();
}
