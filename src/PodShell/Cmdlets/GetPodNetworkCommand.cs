using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lists the pod networks (the native engine's CNI networks first by file name: the first is the default), with subnets and the pods on each.</summary>
[Cmdlet(VerbsCommon.Get, "PodNetwork")]
[OutputType(typeof(PodNetwork))]
public sealed class GetPodNetworkCommand : PodEngineCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? CniConfigDirectory { get; set; }

    [Parameter]
    public PodEngineKind[]? Engine { get; set; }

    protected override void ProcessRecord()
    {
        List<PodNetwork> networks;
        try
        {
            var directory = CniConfigDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(CniConfigDirectory);
            networks = new List<PodNetwork>();
            foreach (var manager in NetworkRegistry.All().Where(m => Engine is null || Engine.Contains(m.Kind)))
            {
                var pods = EngineRegistry.All().Where(e => e.Kind == manager.Kind).SelectMany(e => e.GetPods()).ToList();
                foreach (var network in manager.GetNetworks(directory))
                {
                    network.Pods = pods.Where(p => p.Network == network.Name).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                    networks.Add(network);
                }
            }
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e))
        {
            ThrowTerminatingError(ErrorBoundary.ToErrorRecord(e));
            return;
        }
        if (Name is null)
        {
            WriteObject(networks, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = networks.Where(n => pattern.IsMatch(n.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteNonTerminating(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, name, $"No network named '{name}' exists.",
                    "List the networks with Get-PodNetwork, or create one with New-PodNetwork.");
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
