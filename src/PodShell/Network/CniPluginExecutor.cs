using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace PodShell.Network;

/// <summary>
/// Runs plugins as child processes of the module, never in the pwsh process's own namespaces: the plugin
/// enters the pod's network namespace itself from CNI_NETNS.
/// </summary>
public sealed class CniPluginExecutor : ICniPluginExecutor
{
    public static readonly CniPluginExecutor Instance = new();

    public string Execute(string pluginPath, string command, CniInvocation invocation, string searchPath, string stdin, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(pluginPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // No CNI_* of the caller's environment may leak into the call (a stray CNI_ARGS would change it).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = invocation.ContainerId;
        start.Environment["CNI_NETNS"] = invocation.NetnsPath;
        start.Environment["CNI_IFNAME"] = invocation.IfName;
        start.Environment["CNI_ARGS"] = invocation.Args;
        start.Environment["CNI_PATH"] = searchPath;
        if (!start.Environment.ContainsKey("PATH")) start.Environment["PATH"] = Protocol.DefaultSearchPath.Value;

        using var process = new Process { StartInfo = start };
        var plugin = Path.GetFileName(pluginPath);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CniPluginException(plugin, command, 0, $"it cannot be started: {e.Message}", pluginPath);
        }
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using (cancel.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } }))
        {
            try
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The plugin exited without reading its config: its output says why.
            }
            process.WaitForExit();
        }
        cancel.ThrowIfCancellationRequested();
        var output = stdout.GetAwaiter().GetResult();
        if (process.ExitCode == 0) return output;
        throw ToError(plugin, command, process.ExitCode, output, stderr.GetAwaiter().GetResult());
    }

    private static CniPluginException ToError(string plugin, string command, int exitCode, string stdout, string stderr)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject error && error["msg"] is JsonValue msg)
            {
                var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : exitCode;
                return new CniPluginException(plugin, command, code, msg.ToString(), error["details"]?.ToString());
            }
        }
        catch (JsonException)
        {
        }
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim();
        return new CniPluginException(plugin, command, exitCode, text.Length > 0 ? text : $"exit code {exitCode}", null);
    }
}
