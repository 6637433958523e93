using System.Collections.Generic;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PodShell.Engine;

/// <summary>
/// Kubernetes' name rules, with its own wording: pod names are DNS-1123 subdomains, container names and
/// hostnames DNS-1123 labels, label keys qualified names and label values at most 63 characters.
/// </summary>
public static class NameValidator
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;
    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainPattern = LabelPattern + @"(\." + LabelPattern + ")*";
    private const string QualifiedNamePattern = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static readonly Regex Label = new("^" + LabelPattern + @"\z", RegexOptions.CultureInvariant);
    private static readonly Regex Subdomain = new("^" + SubdomainPattern + @"\z", RegexOptions.CultureInvariant);
    private static readonly Regex QualifiedName = new("^" + QualifiedNamePattern + @"\z", RegexOptions.CultureInvariant);

    public static void ValidatePodName(string name)
    {
        var problems = SubdomainProblems(name);
        if (problems.Count > 0)
        {
            throw new PodEngineException(ErrorIds.InvalidPodName, ErrorCategory.InvalidArgument, name,
                $"Invalid pod name '{name}': {string.Join("; ", problems)}.",
                "Choose a name such as 'foo' or 'web-1' (a pod's hostname is its name cut at the first dot and to 63 characters).");
        }
    }

    public static void ValidateContainerName(string name)
    {
        var problems = LabelProblems(name);
        if (problems.Count > 0)
        {
            throw new PodEngineException(ErrorIds.InvalidContainerName, ErrorCategory.InvalidArgument, name,
                $"Invalid container name '{name}': {string.Join("; ", problems)}.",
                "Choose a name such as 'app' or 'sidecar'.");
        }
    }

    public static void ValidateHostname(string name)
    {
        var problems = LabelProblems(name);
        if (problems.Count > 0)
        {
            throw new PodEngineException(ErrorIds.InvalidHostname, ErrorCategory.InvalidArgument, name,
                $"Invalid hostname '{name}': {string.Join("; ", problems)}.",
                "Pass -Hostname with a name such as 'foo'.");
        }
    }

    /// <summary>A label key (an optional DNS subdomain prefix and '/', then a name of at most 63 characters) and its value.</summary>
    public static void ValidateLabel(string key, string value)
    {
        var problems = QualifiedNameProblems(key);
        if (problems.Count > 0)
        {
            throw new PodEngineException(ErrorIds.InvalidLabelKey, ErrorCategory.InvalidArgument, key,
                $"Invalid label key '{key}': {string.Join("; ", problems)}.",
                "Use a key such as 'app', 'tier' or 'example.com/team'.");
        }
        problems = LabelValueProblems(value);
        if (problems.Count > 0)
        {
            throw new PodEngineException(ErrorIds.InvalidLabelValue, ErrorCategory.InvalidArgument, $"{key}={value}",
                $"Invalid value '{value}' of label '{key}': {string.Join("; ", problems)}.",
                "Use a value such as 'web' or 'v1.2', or an empty value.");
        }
    }

    public static bool IsLabel(string name) => LabelProblems(name).Count == 0;

    public static bool IsSubdomain(string name) => SubdomainProblems(name).Count == 0;

    /// <summary>The messages Kubernetes' IsDNS1123Label gives (empty when valid).</summary>
    public static List<string> LabelProblems(string name)
    {
        var problems = new List<string>();
        if (name.Length > LabelMaxLength) problems.Add($"must be no more than {LabelMaxLength} characters (it has {name.Length})");
        if (!Label.IsMatch(name))
        {
            problems.Add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an " +
                $"alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '{LabelPattern}')");
        }
        return problems;
    }

    /// <summary>The messages Kubernetes' IsDNS1123Subdomain gives (empty when valid).</summary>
    public static List<string> SubdomainProblems(string name)
    {
        var problems = new List<string>();
        if (name.Length > SubdomainMaxLength) problems.Add($"must be no more than {SubdomainMaxLength} characters (it has {name.Length})");
        if (!Subdomain.IsMatch(name))
        {
            problems.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an " +
                $"alphanumeric character (e.g. 'example.com', regex used for validation is '{SubdomainPattern}')");
        }
        return problems;
    }

    /// <summary>The messages Kubernetes' IsQualifiedName gives for a label key (empty when valid).</summary>
    public static List<string> QualifiedNameProblems(string key)
    {
        var problems = new List<string>();
        var parts = key.Split('/');
        string name;
        if (parts.Length == 1)
        {
            name = parts[0];
        }
        else if (parts.Length == 2)
        {
            var prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0) problems.Add("prefix part must be non-empty");
            else foreach (var p in SubdomainProblems(prefix)) problems.Add("prefix part " + p);
        }
        else
        {
            return new List<string>
            {
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
                $"(e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '{QualifiedNamePattern}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            };
        }
        if (name.Length == 0) problems.Add("name part must be non-empty");
        else if (name.Length > LabelMaxLength) problems.Add($"name part must be no more than {LabelMaxLength} characters (it has {name.Length})");
        if (name.Length > 0 && !QualifiedName.IsMatch(name))
        {
            problems.Add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
                $"(e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '{QualifiedNamePattern}')");
        }
        return problems;
    }

    /// <summary>The messages Kubernetes' IsValidLabelValue gives (empty when valid).</summary>
    public static List<string> LabelValueProblems(string value)
    {
        var problems = new List<string>();
        if (value.Length > LabelMaxLength) problems.Add($"must be no more than {LabelMaxLength} characters (it has {value.Length})");
        if (value.Length > 0 && !QualifiedName.IsMatch(value))
        {
            problems.Add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
                $"alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '({QualifiedNamePattern})?')");
        }
        return problems;
    }

    /// <summary>The hostname Kubernetes gives a pod: its name, cut at the first dot and to 63 characters.</summary>
    public static string HostnameFor(string podName)
    {
        var host = podName.Split('.')[0];
        return host.Length > LabelMaxLength ? host.Substring(0, LabelMaxLength).TrimEnd('-') : host;
    }
}
