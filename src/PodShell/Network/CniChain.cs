using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using PodShell.Model;

namespace PodShell.Network;

/// <summary>
/// Runs a config list's plugin chain per the CNI spec: ADD in order, each plugin getting the previous one's
/// result as prevResult; CHECK in order and DEL in reverse, both with the cached result as prevResult.
/// The runtime config (portMappings) goes only to plugins that declare that capability.
/// </summary>
public sealed class CniChain
{
    private readonly CniPluginLocator _plugins;
    private readonly ICniPluginExecutor _executor;

    public CniChain(CniPluginLocator plugins, ICniPluginExecutor? executor = null)
    {
        _plugins = plugins;
        _executor = executor ?? CniPluginExecutor.Instance;
    }

    public CniResult Add(CniConfigList config, CniInvocation invocation, IReadOnlyList<PodPortMapping> ports, CancellationToken cancel)
    {
        JsonObject? previous = null;
        foreach (var plugin in config.Plugins)
        {
            var output = Run(config, plugin, "ADD", invocation, previous, ports, cancel);
            previous = ParseResult(output, plugin);
        }
        return CniResult.Parse(previous!);
    }

    /// <summary>CHECK exists from spec 0.4.0 on; a list may turn it off (disableCheck). Returns false when it was not run.</summary>
    public bool Check(CniConfigList config, CniInvocation invocation, IReadOnlyList<PodPortMapping> ports, CniResult? cached, CancellationToken cancel)
    {
        if (config.DisableCheck || CniVersion.ParseOrOldest(config.CniVersion) < CniVersion.V040) return false;
        if (cached is null)
        {
            throw new CniPluginException(config.Name, "CHECK", 3, "no cached result of ADD for this pod", null);
        }
        foreach (var plugin in config.Plugins) Run(config, plugin, "CHECK", invocation, cached.Json, ports, cancel);
        return true;
    }

    /// <summary>DEL in reverse order. Every plugin runs even when one fails (so the others release what they hold); the first failure is thrown at the end.</summary>
    public void Delete(CniConfigList config, CniInvocation invocation, IReadOnlyList<PodPortMapping> ports, CniResult? cached, CancellationToken cancel)
    {
        var prevResult = CniVersion.ParseOrOldest(config.CniVersion) >= CniVersion.V040 ? cached?.Json : null;
        Exception? first = null;
        foreach (var plugin in config.Plugins.Reverse())
        {
            try
            {
                Run(config, plugin, "DEL", invocation, prevResult, ports, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                first ??= e;
            }
        }
        if (first is not null) throw first;
    }

    private string Run(CniConfigList config, JsonObject plugin, string command, CniInvocation invocation, JsonObject? prevResult,
        IReadOnlyList<PodPortMapping> ports, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var type = (string)plugin["type"]!;
        var path = _plugins.Find(type, config.Name);
        var stdin = BuildPluginConfig(config, plugin, prevResult, ports);
        return _executor.Execute(path, command, invocation, _plugins.SearchPath, stdin, cancel);
    }

    /// <summary>One plugin's stdin: its own config plus the list's name and cniVersion, prevResult and runtimeConfig.</summary>
    public static string BuildPluginConfig(CniConfigList config, JsonObject plugin, JsonObject? prevResult, IReadOnlyList<PodPortMapping> ports)
    {
        var stdin = (JsonObject)plugin.DeepClone();
        stdin["cniVersion"] = config.CniVersion;
        stdin["name"] = config.Name;
        if (prevResult is not null) stdin["prevResult"] = prevResult.DeepClone();
        else stdin.Remove("prevResult");

        var runtime = new JsonObject();
        if (HasCapability(plugin, "portMappings") && ports.Count > 0)
        {
            runtime["portMappings"] = new JsonArray(ports.Select(PortMappingJson).ToArray<JsonNode?>());
        }
        if (runtime.Count > 0) stdin["runtimeConfig"] = runtime;
        else stdin.Remove("runtimeConfig");
        return stdin.ToJsonString();
    }

    private static bool HasCapability(JsonObject plugin, string capability) =>
        plugin["capabilities"] is JsonObject caps && caps[capability] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    private static JsonObject PortMappingJson(PodPortMapping p)
    {
        var o = new JsonObject
        {
            ["hostPort"] = p.HostPort,
            ["containerPort"] = p.ContainerPort,
            ["protocol"] = p.Protocol.ToString().ToLowerInvariant(),
        };
        if (p.HostIP.Length > 0) o["hostIP"] = p.HostIP;
        return o;
    }

    private static JsonObject ParseResult(string output, JsonObject plugin)
    {
        try
        {
            if (JsonNode.Parse(output) is JsonObject result) return result;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        throw new CniPluginException((string)plugin["type"]!, "ADD", 0, "it printed no result (a JSON object was expected on stdout)", output.Trim());
    }
}
