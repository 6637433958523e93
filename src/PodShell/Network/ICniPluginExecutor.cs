using System.Threading;

namespace PodShell.Network;

/// <summary>Runs one CNI plugin binary as a child process: the seam tests replace to script plugin answers.</summary>
public interface ICniPluginExecutor
{
    /// <summary>Runs the plugin with the CNI_* variables set and the config on stdin; returns stdout, or throws CniPluginException.</summary>
    string Execute(string pluginPath, string command, CniInvocation invocation, string searchPath, string stdin, CancellationToken cancel);
}
