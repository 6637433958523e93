using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// A pod's names as kubelet gives them on a node: with a subdomain, the FQDN
/// &lt;hostname&gt;.&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster domain&gt; (the kernel hostname too with setHostnameAsFQDN),
/// and the pod's /etc/hosts with its address under both names and the hostAliases after.
/// </summary>
public static class PodHostnames
{
    /// <summary>kubelet's --cluster-domain for this node: PODSHELL_CLUSTER_DOMAIN, else cluster.local.</summary>
    public const string ClusterDomainVariable = "PODSHELL_CLUSTER_DOMAIN";
    public const string DefaultClusterDomain = "cluster.local";
    /// <summary>The label that carries a pod's Kubernetes namespace (a manifest's metadata.namespace).</summary>
    public const string NamespaceLabel = "io.kubernetes.pod.namespace";
    public const string DefaultNamespace = "default";
    /// <summary>The address a pod's own name has when the pod has none on a network (Debian's convention).</summary>
    public const string NoAddress = "127.0.1.1";
    /// <summary>Linux's HOST_NAME_MAX: kubelet refuses a longer FQDN as hostname.</summary>
    public const int HostnameMax = 64;

    public static string ClusterDomain
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(ClusterDomainVariable);
            if (string.IsNullOrWhiteSpace(value)) return DefaultClusterDomain;
            value = value.Trim().TrimEnd('.');
            if (!NameValidator.IsSubdomain(value))
            {
                throw new PodEngineException(ErrorIds.InvalidClusterDomain, ErrorCategory.InvalidArgument, value,
                    $"{ClusterDomainVariable} is '{value}', which is not a DNS-1123 subdomain.",
                    $"Set it to a domain such as {DefaultClusterDomain}, or remove it (Remove-Item Env:{ClusterDomainVariable}).");
            }
            return value;
        }
    }

    public static string NamespaceOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(NamespaceLabel, out var ns) && ns.Length > 0 ? ns : DefaultNamespace;

    /// <summary>The pod's FQDN, or null without a subdomain; checks the subdomain and, with setHostnameAsFQDN, the length.</summary>
    public static string? Fqdn(string hostname, string? subdomain, string ns, bool setHostnameAsFqdn, string pod)
    {
        if (subdomain is null)
        {
            if (setHostnameAsFqdn)
            {
                throw new PodEngineException(ErrorIds.InvalidHostname, ErrorCategory.InvalidArgument, pod,
                    $"Pod '{pod}' asks for its FQDN as hostname, but has no subdomain: its FQDN is <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.",
                    "Give a subdomain (-Subdomain), or leave out -SetHostnameAsFqdn.");
            }
            return null;
        }
        if (!NameValidator.IsLabel(subdomain))
        {
            throw new PodEngineException(ErrorIds.InvalidHostname, ErrorCategory.InvalidArgument, subdomain,
                $"Pod '{pod}': subdomain '{subdomain}' is not a DNS-1123 label.", "Give a subdomain such as 'web' (lower-case letters, digits and '-').");
        }
        var fqdn = $"{hostname}.{subdomain}.{ns}.svc.{ClusterDomain}";
        if (setHostnameAsFqdn && fqdn.Length > HostnameMax)
        {
            throw new PodEngineException(ErrorIds.InvalidHostname, ErrorCategory.InvalidArgument, fqdn,
                $"Pod '{pod}': its FQDN '{fqdn}' is {fqdn.Length} characters, longer than a hostname may be ({HostnameMax}), so it cannot be the hostname (setHostnameAsFQDN).",
                "Shorten the hostname or subdomain, or leave out -SetHostnameAsFqdn.");
        }
        return fqdn;
    }

    public static List<PodHostAlias> ValidateAliases(IEnumerable<PodHostAlias> aliases, string pod)
    {
        var result = new List<PodHostAlias>();
        foreach (var alias in aliases)
        {
            // Strict, as Kubernetes' net.ParseIP: .NET would also take shorthands such as 10.1.2 (10.1.0.2).
            if (!IPAddress.TryParse(alias.IP, out var address) || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && alias.IP.Split('.').Length != 4)
            {
                throw new PodEngineException(ErrorIds.InvalidHostAlias, ErrorCategory.InvalidArgument, alias.IP,
                    $"Pod '{pod}': host alias address '{alias.IP}' is not an IP address.", "Give an IPv4 or IPv6 address, such as 10.1.2.3.");
            }
            if (alias.Hostnames.Length == 0 || alias.Hostnames.Any(h => !NameValidator.IsSubdomain(h)))
            {
                throw new PodEngineException(ErrorIds.InvalidHostAlias, ErrorCategory.InvalidArgument, alias.IP,
                    $"Pod '{pod}': the names of host alias {alias.IP} ({string.Join(", ", alias.Hostnames)}) must be one or more DNS-1123 subdomains.",
                    "Give names such as foo.local.");
            }
            result.Add(new PodHostAlias { IP = alias.IP, Hostnames = alias.Hostnames.ToArray() });
        }
        return result;
    }

    /// <summary>The line that names the pod: its address, then its FQDN (when it has one) and its short hostname, as kubelet writes it.</summary>
    public static string PodLine(string ip, string hostname, string? fqdn) =>
        fqdn is null ? $"{ip}\t{hostname}" : $"{ip}\t{fqdn}\t{fqdn.Split('.')[0]}";

    /// <summary>The pod's /etc/hosts (kubelet's managed hosts file, with Debian's 127.0.1.1 when the pod has no address).</summary>
    public static string HostsFile(string? ip, string hostname, string? fqdn, IReadOnlyCollection<PodHostAlias> aliases)
    {
        var text = new StringBuilder();
        text.Append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\n");
        text.Append("fe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
        text.Append(PodLine(ip ?? NoAddress, hostname, fqdn)).Append('\n');
        if (aliases.Count > 0)
        {
            text.Append("\n# Entries added by HostAliases.\n");
            foreach (var alias in aliases) text.Append(alias.IP).Append('\t').Append(string.Join('\t', alias.Hostnames)).Append('\n');
        }
        return text.ToString();
    }
}
