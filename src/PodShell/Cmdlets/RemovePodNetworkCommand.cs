using System;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Removes a pod network's definition and, for PodShell's own networks, its bridge and address pool. Pods must leave it first.</summary>
[Cmdlet(VerbsCommon.Remove, "PodNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemovePodNetworkCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? CniConfigDirectory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    /// <summary>No confirmation prompt, and no error when the network is gone already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var directory = CniConfigDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(CniConfigDirectory);
        foreach (var name in Name)
        {
            if (!ShouldProcessUnlessForced(Force, name, "Remove pod network")) continue;
            RunItem(() =>
            {
                var pods = EngineRegistry.All().Where(e => e.Kind == Engine).SelectMany(e => e.GetPods()).Where(p => p.Network == name).Select(p => p.Name).ToList();
                if (pods.Count > 0)
                {
                    throw new PodEngineException(ErrorIds.NetworkInUse, ErrorCategory.ResourceBusy, name,
                        $"Network '{name}' still has pods: {string.Join(", ", pods)}.", $"Remove them first: Remove-Pod {string.Join(",", pods)}.");
                }
                try
                {
                    NetworkRegistry.Get(Engine).RemoveNetwork(name, directory, Cancellation);
                }
                catch (PodEngineException e) when (Force && e.ErrorId == ErrorIds.NetworkNotFound)
                {
                }
            });
        }
    }
}
