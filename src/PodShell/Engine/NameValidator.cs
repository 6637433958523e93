using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PodShell.Engine;

/// <summary>Kubernetes' name rules: pod names are DNS-1123 subdomains, container names and hostnames DNS-1123 labels.</summary>
public static class NameValidator
{
    private static readonly Regex Label = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    public static void ValidatePodName(string name)
    {
        if (!IsSubdomain(name))
        {
            throw new PodEngineException(ErrorIds.InvalidPodName, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a valid pod name: it must be a DNS-1123 subdomain (at most 253 characters of lower-case letters, digits, '-' and '.', starting and ending with a letter or digit).",
                "Choose a name such as 'foo' or 'web-1'.");
        }
    }

    public static void ValidateContainerName(string name)
    {
        if (!IsLabel(name))
        {
            throw new PodEngineException(ErrorIds.InvalidContainerName, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a valid container name: it must be a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit).",
                "Choose a name such as 'app' or 'sidecar'.");
        }
    }

    public static void ValidateHostname(string name)
    {
        if (!IsLabel(name))
        {
            throw new PodEngineException(ErrorIds.InvalidHostname, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a valid hostname: it must be a DNS-1123 label (at most 63 lower-case letters, digits and '-').",
                "Pass -Hostname with a name such as 'foo'.");
        }
    }

    public static bool IsLabel(string name) => name.Length is > 0 and <= 63 && Label.IsMatch(name);

    public static bool IsSubdomain(string name)
    {
        if (name.Length is 0 or > 253) return false;
        foreach (var part in name.Split('.'))
        {
            if (!IsLabel(part)) return false;
        }
        return true;
    }

    /// <summary>The hostname Kubernetes gives a pod: its name, cut at the first dot and to 63 characters.</summary>
    public static string HostnameFor(string podName)
    {
        var host = podName.Split('.')[0];
        return host.Length > 63 ? host.Substring(0, 63).TrimEnd('-') : host;
    }
}
