using System;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Checks that running pods' networks are still as they were set up (CNI CHECK with the cached result): true or false per pod.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PodNetwork")]
[OutputType(typeof(bool))]
public sealed class TestPodNetworkCommand : PodEngineCmdletBase
{
    /// <summary>The pods to check; Pod objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Pod")]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (FindEngine(name) is not { } engine) continue;
            RunItem(() =>
            {
                if (engine is not IPodNetworkCheck check)
                {
                    throw new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, name,
                        $"The {engine.Kind} engine cannot check a pod's network.", "Inspect the pod with Get-Pod instead.");
                }
                try
                {
                    if (!check.CheckPodNetwork(name, Cancellation))
                    {
                        WriteVerbose($"Pod '{name}': nothing to check (no network of its own, or a network whose cniVersion predates CHECK).");
                    }
                    WriteObject(true);
                }
                catch (PodEngineException e) when (e.ErrorId == ErrorIds.NetworkCheckFailed)
                {
                    WriteWarning(e.Message);
                    WriteObject(false);
                }
            });
        }
    }
}
