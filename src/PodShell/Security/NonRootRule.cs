using System.Globalization;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Security;

/// <summary>
/// Kubernetes' runAsNonRoot as kubelet checks it when it makes the container: the user it will run as (the container's
/// own, else the image's) must be a numeric uid other than 0; a user name cannot be checked, so it is refused too.
/// </summary>
public static class NonRootRule
{
    /// <param name="user">"uid", "uid:gid", "name" or "name:group"; null or empty for root (no user anywhere).</param>
    public static void Check(string container, string? user)
    {
        var name = (user ?? "").Split(':')[0];
        if (name.Length > 0 && !uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new PodEngineException(ErrorIds.RunAsNonRootViolated, ErrorCategory.SecurityError, container,
                $"Container '{container}' must not run as root (runAsNonRoot), but its user '{name}' is a name, so it cannot be verified to be non-root.",
                "Give a numeric user: -User 1000 (runAsUser: 1000), or an image whose USER is numeric.");
        }
        if (name.Length == 0 || uint.Parse(name, CultureInfo.InvariantCulture) == 0)
        {
            throw new PodEngineException(ErrorIds.RunAsNonRootViolated, ErrorCategory.SecurityError, container,
                $"Container '{container}' must not run as root (runAsNonRoot), but it would run as root ({(name.Length == 0 ? "neither it nor its image names a user" : "uid 0")}).",
                "Give a uid other than 0: -User 1000 (runAsUser: 1000).");
        }
    }
}
