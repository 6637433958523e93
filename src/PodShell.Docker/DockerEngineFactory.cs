using System.Collections.Concurrent;
using PodShell.Docker.Connection;
using PodShell.Docker.Engine;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Docker;

/// <summary>
/// Registered by EngineRegistry.RegisterAdapter("PodShell.Docker"): one engine (one connection) per
/// DOCKER_HOST value, so a session that changes DOCKER_HOST talks to the daemon it names now.
/// </summary>
public sealed class DockerEngineFactory : IPodEngineFactory
{
    private static readonly ConcurrentDictionary<string, DockerEngine> s_engines = new();

    public PodEngineKind Kind => PodEngineKind.Docker;

    public IPodEngine Create()
    {
        var endpoint = DockerEndpoint.FromEnvironment();
        return s_engines.GetOrAdd(endpoint.ToString(), _ => new DockerEngine(endpoint));
    }
}
