using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Network;

/// <summary>
/// What a pod's network was set up with, cached in the pod's state folder (network.json) like libcni's
/// result cache: the config list text, the runtime arguments and, once ADD succeeded, its result. DEL and
/// CHECK run from this, so they see what ADD saw even when the files in the config folder changed.
/// Written before ADD runs, so a create killed half-way still leaves what DEL needs.
/// </summary>
public sealed class CniAttachment
{
    public const string FileName = "network.json";

    public string Network { get; set; } = "";
    public string ConfigText { get; set; } = "";
    public string? ConfigPath { get; set; }
    public string ContainerId { get; set; } = "";
    public string IfName { get; set; } = "eth0";
    public string NetnsPath { get; set; } = "";
    public string Args { get; set; } = "";
    public List<PodPortMapping> PortMappings { get; set; } = new();
    /// <summary>The plugin folders searched at ADD (its CNI_PATH).</summary>
    public List<string> PluginDirectories { get; set; } = new();
    /// <summary>The final result of ADD as JSON text; null until ADD completed.</summary>
    public string? ResultText { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public CniConfigList Config() => CniConfigList.Parse(ConfigText, ConfigPath);

    public CniResult? Result() =>
        ResultText is null ? null : JsonNode.Parse(ResultText) is JsonObject o ? CniResult.Parse(o) : null;

    public CniInvocation Invocation(string netnsPath) => new(ContainerId, netnsPath, IfName, Args);

    public static string PathIn(string podDirectory) => Path.Combine(podDirectory, FileName);

    /// <summary>The cache, or null when it is missing or unreadable (not JSON, wrong types, or without the network, config and container id DEL needs).</summary>
    public static CniAttachment? Read(string podDirectory) =>
        StateStore.Read<CniAttachment>(PathIn(podDirectory)) is { } attachment &&
        !string.IsNullOrEmpty(attachment.Network) && !string.IsNullOrEmpty(attachment.ConfigText) && !string.IsNullOrEmpty(attachment.ContainerId) ? attachment : null;

    public void Write(string podDirectory) => StateStore.Write(PathIn(podDirectory), this);

    public static void Delete(string podDirectory) => File.Delete(PathIn(podDirectory));
}
