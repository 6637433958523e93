using System;
using PodShell.Cgroups;

namespace PodShell.Native;

/// <summary>
/// kubelet's containerLogMaxSize (10Mi) and containerLogMaxFiles (5), changed with PODSHELL_CONTAINER_LOG_MAX_SIZE
/// (a quantity: 50Mi, 1G; 0 turns rotation off) and PODSHELL_CONTAINER_LOG_MAX_FILES (at least 1) before a container starts.
/// </summary>
internal static class ContainerLogSettings
{
    public const string MaxSizeVariable = "PODSHELL_CONTAINER_LOG_MAX_SIZE";
    public const string MaxFilesVariable = "PODSHELL_CONTAINER_LOG_MAX_FILES";
    public const long DefaultMaxSize = 10L * 1024 * 1024;
    public const int DefaultMaxFiles = 5;

    public static long MaxSize
    {
        get
        {
            var text = Environment.GetEnvironmentVariable(MaxSizeVariable);
            if (string.IsNullOrWhiteSpace(text)) return DefaultMaxSize;
            try { return Math.Max(KubeQuantity.ParseBytes(text), 0); }
            catch (FormatException) { return DefaultMaxSize; }
        }
    }

    public static int MaxFiles =>
        int.TryParse(Environment.GetEnvironmentVariable(MaxFilesVariable), out var files) && files >= 1 ? files : DefaultMaxFiles;
}
