using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using PodShell.Engine;

namespace PodShell.Network;

/// <summary>
/// A CNI network configuration list (.conflist), or a single .conf lifted into a list of one as libcni does.
/// The text it was read from is kept: the pod's cache holds it so DEL runs with the config ADD saw.
/// </summary>
public sealed class CniConfigList
{
    private CniConfigList(string name, string cniVersion, bool disableCheck, IReadOnlyList<JsonObject> plugins, string text, string? path)
    {
        Name = name;
        CniVersion = cniVersion;
        DisableCheck = disableCheck;
        Plugins = plugins;
        Text = text;
        Path = path;
    }

    public string Name { get; }
    public string CniVersion { get; }
    public bool DisableCheck { get; }
    /// <summary>Each plugin's own configuration object, in chain order.</summary>
    public IReadOnlyList<JsonObject> Plugins { get; }
    /// <summary>The list as JSON text (for a .conf, the list it was lifted into).</summary>
    public string Text { get; }
    /// <summary>The file it came from, when it came from one.</summary>
    public string? Path { get; }

    public IEnumerable<string> PluginTypes => Plugins.Select(p => (string)p["type"]!);

    /// <summary>The main plugin (the first, the one that makes the interface).</summary>
    public JsonObject MainPlugin => Plugins[0];

    public static CniConfigList Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"it cannot be read: {e.Message}");
        }
        return Parse(text, path);
    }

    public static CniConfigList Parse(string text, string? path = null)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw Invalid(path, "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"it is not valid JSON ({e.Message})");
        }

        if (root["plugins"] is null && root["type"] is not null)
        {
            // A .conf: one plugin whose config carries name and cniVersion itself.
            var single = (JsonObject)root.DeepClone();
            single.Remove("name");
            single.Remove("cniVersion");
            root = new JsonObject
            {
                ["cniVersion"] = root["cniVersion"]?.DeepClone(),
                ["name"] = root["name"]?.DeepClone(),
                ["plugins"] = new JsonArray(single),
            };
        }

        var name = ReadString(root, "name", path);
        if (string.IsNullOrEmpty(name)) throw Invalid(path, "it has no \"name\"");
        var version = ReadString(root, "cniVersion", path) ?? "";
        if (version.Length > 0 && !global::PodShell.Network.CniVersion.TryParse(version, out _)) throw Invalid(path, $"cniVersion \"{version}\" is not a version");
        var disableCheck = root["disableCheck"] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;

        if (root["plugins"] is not JsonArray array || array.Count == 0) throw Invalid(path, "it has no \"plugins\"");
        var plugins = new List<JsonObject>();
        foreach (var node in array)
        {
            if (node is not JsonObject plugin) throw Invalid(path, "a member of \"plugins\" is not an object");
            var type = ReadString(plugin, "type", path);
            if (string.IsNullOrEmpty(type)) throw Invalid(path, "a plugin has no \"type\"");
            if (type.Contains('/') || type == "." || type == "..") throw Invalid(path, $"plugin type \"{type}\" is not a plain file name");
            plugins.Add((JsonObject)plugin.DeepClone());
        }
        return new CniConfigList(name, version, disableCheck, plugins, root.ToJsonString(), path);
    }

    private static string? ReadString(JsonObject o, string key, string? path)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw Invalid(path, $"\"{key}\" is not a string");
    }

    internal static PodEngineException Invalid(string? path, string why) => new(
        ErrorIds.CniConfigInvalid, ErrorCategory.InvalidData, path,
        $"The CNI network configuration {(path is null ? "" : $"'{path}' ")}is not usable: {why}.",
        "Fix or remove the file; a .conflist needs \"cniVersion\", \"name\" and a non-empty \"plugins\" list whose members have a \"type\".");
}
