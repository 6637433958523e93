// Linked into PodShell.dll and podshell-init: both must look for a container's command in the same places.
namespace PodShell.Protocol;

/// <summary>The PATH a container gets when its environment sets none (the OCI runtimes' and Docker's default).</summary>
internal static class DefaultSearchPath
{
    public const string Value = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
