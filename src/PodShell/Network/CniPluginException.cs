using System;

namespace PodShell.Network;

/// <summary>A plugin that failed: its CNI error (code, msg, details) or, when it printed none, its exit code and stderr.</summary>
public sealed class CniPluginException : Exception
{
    public CniPluginException(string plugin, string command, int code, string pluginMessage, string? details)
        : base($"CNI plugin '{plugin}' failed on {command} (code {code}): {pluginMessage}{(string.IsNullOrEmpty(details) ? "" : $" ({details})")}")
    {
        Plugin = plugin;
        Command = command;
        Code = code;
        PluginMessage = pluginMessage;
        Details = details;
    }

    public string Plugin { get; }
    public string Command { get; }
    /// <summary>The CNI error code: 1-99 are the spec's (3: unknown container, 7: invalid network config...).</summary>
    public int Code { get; }
    public string PluginMessage { get; }
    public string? Details { get; }
}
