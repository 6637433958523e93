using System;

namespace PodShell.Model;

/// <summary>Extra names of an address in the pod's /etc/hosts (Kubernetes' spec.hostAliases).</summary>
public sealed class PodHostAlias
{
    public string IP { get; set; } = "";
    public string[] Hostnames { get; set; } = Array.Empty<string>();

    public override string ToString() => $"{IP}={string.Join(",", Hostnames)}";
}
