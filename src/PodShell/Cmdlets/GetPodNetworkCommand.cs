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
            // A CNI folder is the native engine's: naming one without -Engine asks for its networks only.
            var engines = Engine ?? (directory is not null ? new[] { PodEngineKind.Native } : null);
            foreach (var manager in NetworkRegistry.All().Where(m => engines is null || engines.Contains(m.Kind)))
            {
                List<PodNetwork> found;
                List<Pod> pods;
                try
                {
                    found = manager.GetNetworks(directory).ToList();
                    pods = EngineRegistry.All().Where(e => e.Kind == manager.Kind).SelectMany(e => e.GetPods()).ToList();
                }
                catch (PodEngineException e) when (Engine is null && e.ErrorId == ErrorIds.DockerUnavailable)
                {
                    // As Get-Pod: an engine not asked for by -Engine that cannot be reached does not hide the others.
                    WriteWarning($"The {manager.Kind} engine's networks are not listed: {e.Message}");
                    continue;
                }
                foreach (var network in found)
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
            var matches = NameFilter.Match(networks, name, n => n.Name, out var notFound);
            if (notFound)
            {
                WriteNonTerminating(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, name, $"No network named '{name}' exists.",
                    "List the networks with Get-PodNetwork, or create one with New-PodNetwork.");
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
