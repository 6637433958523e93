using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Network;

/// <summary>
/// Finds CNI plugin executables the way CNI_PATH is searched: the folders of the CNI_PATH environment
/// variable first, then the usual install places (/opt/cni/bin, Debian's /usr/lib/cni).
/// </summary>
public sealed class CniPluginLocator
{
    public const string PathVariable = "CNI_PATH";
    public static readonly IReadOnlyList<string> DefaultDirectories = new[] { "/opt/cni/bin", "/usr/lib/cni", "/usr/libexec/cni" };

    public CniPluginLocator(IEnumerable<string>? directories = null)
    {
        Directories = (directories ?? FromEnvironment()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Directories { get; }

    /// <summary>The CNI_PATH value handed to plugins (they exec their IPAM plugin from it).</summary>
    public string SearchPath => string.Join(':', Directories);

    private static IEnumerable<string> FromEnvironment()
    {
        var variable = Environment.GetEnvironmentVariable(PathVariable);
        var fromVariable = string.IsNullOrEmpty(variable) ? Array.Empty<string>() : variable.Split(':');
        return fromVariable.Concat(DefaultDirectories);
    }

    public string? TryFind(string type)
    {
        if (type.Length == 0 || type.Contains('/')) return null;
        foreach (var directory in Directories)
        {
            var candidate = Path.Combine(directory, type);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    public string Find(string type, string network) => TryFind(type) ?? throw NotFound(type, network);

    /// <summary>Every plugin a network needs: the chain's and its IPAM plugins. Missing ones fail here, before anything is made.</summary>
    public void RequireAll(CniConfigList config)
    {
        foreach (var plugin in config.Plugins)
        {
            Find((string)plugin["type"]!, config.Name);
            if (plugin["ipam"] is System.Text.Json.Nodes.JsonObject ipam && ipam["type"]?.GetValue<string>() is { Length: > 0 } ipamType)
            {
                Find(ipamType, config.Name);
            }
        }
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private PodEngineException NotFound(string type, string network) => new(
        ErrorIds.CniPluginNotFound, ErrorCategory.ObjectNotFound, type,
        $"Network '{network}' needs the CNI plugin '{type}', which is in none of: {string.Join(", ", Directories)}.",
        "Install the standard plugins (Debian: apt-get install containernetworking-plugins), put the plugin in one of " +
        "those folders or name its folder in CNI_PATH, or choose another network with -Network.");
}
