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
    public string[]? Name { get; set; }

    [Parameter]
    public PodEngineKind[]? Engine { get; set; }

    protected override void ProcessRecord()
    {
        System.Collections.Generic.List<Pod> pods;
        try
        {
            pods = EngineRegistry.All()
                .Where(e => Engine is null || Engine.Contains(e.Kind))
                .SelectMany(e => e.GetPods())
                .OrderBy(p => p.Name, System.StringComparer.Ordinal)
                .ToList();
        }
        catch (PodEngineException e)
        {
            ThrowTerminating(e.ErrorId, e.Category, e.Target, e.Message, e.RecommendedAction, e);
            return;
        }
        if (Name is null)
        {
            WriteObject(pods, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = pods.Where(p => pattern.IsMatch(p.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteEngineError(PodEngineException.PodNotFound(name));
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
