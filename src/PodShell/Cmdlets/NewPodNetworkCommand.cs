using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Network;

namespace PodShell.Cmdlets;

/// <summary>Defines a pod network: for the native engine a CNI config list (bridge + host-local + portmap) in the CNI config folder.</summary>
[Cmdlet(VerbsCommon.New, "PodNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PodNetwork))]
public sealed class NewPodNetworkCommand : PodEngineCmdletBase
{
    /// <summary>The network's name; by default PodShell's default network (podshell).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = BridgeNetworkTemplate.DefaultNetworkName;

    /// <summary>IPv4 CIDR of the pods' addresses; by default the first private /16 from 10.88.0.0/16 that clashes with no route of the node.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    /// <summary>The node's bridge device; by default ps-&lt;name&gt;.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Bridge { get; set; }

    /// <summary>Pods reach only the node and each other: no masquerading of traffic leaving the subnet.</summary>
    [Parameter]
    public SwitchParameter NoMasquerade { get; set; }

    /// <summary>The CNI config folder (default /etc/cni/net.d, or PODSHELL_CNI_CONFIG_DIR).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? CniConfigDirectory { get; set; }

    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create pod network")) return;
        RunItem(() =>
        {
            var request = new PodNetworkCreateRequest
            {
                Name = Name,
                Subnet = Subnet,
                Gateway = Gateway,
                Bridge = Bridge,
                Masquerade = !NoMasquerade,
                ConfigDirectory = CniConfigDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(CniConfigDirectory),
            };
            WriteObject(NetworkRegistry.Get(Engine).CreateNetwork(request, Cancellation));
        });
    }
}
