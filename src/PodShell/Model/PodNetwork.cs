using System;

namespace PodShell.Model;

/// <summary>A network pods join (a CNI network of the native engine; a Docker network on Docker).</summary>
public sealed class PodNetwork
{
    public string Name { get; set; } = "";
    public PodEngineKind Engine { get; set; }
    /// <summary>The main plugin or driver (bridge, ptp, macvlan...).</summary>
    public string Type { get; set; } = "";
    public string[] Subnets { get; set; } = Array.Empty<string>();
    public string[] Gateways { get; set; } = Array.Empty<string>();
    /// <summary>The node's bridge device, when the network has one.</summary>
    public string? Bridge { get; set; }
    /// <summary>The plugin chain in order (CNI), or the driver alone.</summary>
    public string[] Plugins { get; set; } = Array.Empty<string>();
    public string CniVersion { get; set; } = "";
    /// <summary>Whether pods join this network when New-PodSandbox names none.</summary>
    public bool IsDefault { get; set; }
    /// <summary>The file that defines the network (a .conflist for CNI).</summary>
    public string? ConfigPath { get; set; }
    /// <summary>The pods attached to it, by name.</summary>
    public string[] Pods { get; set; } = Array.Empty<string>();

    public override string ToString() => Name;
}
