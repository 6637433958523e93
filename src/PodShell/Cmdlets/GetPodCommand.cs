using System;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lists the pods on this node, from every engine's state.</summary>
[Cmdlet(VerbsCommon.Get, "Pod")]
[OutputType(typeof(Pod))]
public sealed class GetPodCommand : PodEngineCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>A Kubernetes label selector (kubectl -l): app=web, tier!=db, 'env in (prod,dev)', 'env notin (dev)', app, !legacy; several are all required.</summary>
    [Parameter]
    [Alias("Selector", "l")]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    [Parameter]
    public PodEngineKind[]? Engine { get; set; }

    private LabelSelector? _selector;

    protected override void BeginProcessing()
    {
        if (Label is null) return;
        try
        {
            // pwsh splits app=web,tier=db into an array: the commas were the selector's.
            _selector = LabelSelector.Parse(string.Join(",", Label));
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e))
        {
            ThrowTerminatingError(ErrorBoundary.ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        System.Collections.Generic.List<Pod> pods;
        try
        {
            pods = EngineRegistry.All()
                .Where(e => Engine is null || Engine.Contains(e.Kind))
                .SelectMany(PodsOf)
                .Where(p => _selector is null || _selector.Matches(p.Labels))
                .OrderBy(p => p.Name, System.StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (!ErrorBoundary.IsFlowControl(e))
        {
            ThrowTerminatingError(ErrorBoundary.ToErrorRecord(e));
            return;
        }
        if (Name is null)
        {
            WarnAboutHealth(pods);
            WriteObject(pods, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var matches = NameFilter.Match(pods, name, p => p.Name, out var notFound);
            if (notFound && _selector is null)
            {
                WriteEngineError(PodEngineException.PodNotFound(name));
            }
            WarnAboutHealth(matches);
            WriteObject(matches, enumerateCollection: true);
        }
    }

    /// <summary>
    /// One engine's pods. An engine that cannot be reached (no Docker daemon) only warns when it was not asked
    /// for by -Engine, so listing every engine's pods still shows the others'.
    /// </summary>
    private System.Collections.Generic.IEnumerable<Pod> PodsOf(IPodEngine engine)
    {
        try
        {
            return engine.GetPods().ToList();
        }
        catch (PodEngineException e) when (Engine is null && e.ErrorId == ErrorIds.DockerUnavailable)
        {
            WriteWarning($"The {engine.Kind} engine's pods are not listed: {e.Message}");
            return System.Array.Empty<Pod>();
        }
    }
}
