using System;
using System.Collections.Generic;

namespace PodShell.Model;

/// <summary>DNS settings for a pod's resolv.conf, merged over the network's (or the node's) like Kubernetes' dnsConfig.</summary>
public sealed class PodDnsConfig
{
    public IReadOnlyList<string> Nameservers { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> Searches { get; set; } = Array.Empty<string>();
    /// <summary>resolv.conf options such as ndots:2 or edns0.</summary>
    public IReadOnlyList<string> Options { get; set; } = Array.Empty<string>();

    public bool IsEmpty => Nameservers.Count == 0 && Searches.Count == 0 && Options.Count == 0;
}
