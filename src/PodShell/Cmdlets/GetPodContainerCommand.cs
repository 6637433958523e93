using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lists a pod's containers with their state, exit code and restart count.</summary>
[Cmdlet(VerbsCommon.Get, "PodContainer")]
[OutputType(typeof(PodContainer))]
public sealed class GetPodContainerCommand : PodEngineCmdletBase
{
    /// <summary>The pod, by name; Pod objects bind through PodName. All pods when left out.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PodName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string? Pod { get; set; }

    [Parameter(Position = 1)]
    [Alias("Container")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Pod is null)
        {
            foreach (var engine in EngineRegistry.All())
            {
                foreach (var pod in engine.GetPods()) Emit(engine, pod.Name);
            }
            return;
        }
        if (WildcardPattern.ContainsWildcardCharacters(Pod))
        {
            var pattern = WildcardPattern.Get(Pod, WildcardOptions.IgnoreCase);
            foreach (var engine in EngineRegistry.All())
            {
                foreach (var pod in engine.GetPods().Where(p => pattern.IsMatch(p.Name))) Emit(engine, pod.Name);
            }
            return;
        }
        var owner = FindEngine(Pod);
        if (owner is not null) Emit(owner, Pod);
    }

    private void Emit(IPodEngine engine, string pod)
    {
        RunItem(() =>
        {
            var containers = engine.GetContainers(pod).ToList();
            WarnAboutHealth(Name is null ? containers : containers.Where(c => Name.Any(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase).IsMatch(c.Name))));
            if (Name is null)
            {
                WriteObject(containers, enumerateCollection: true);
                return;
            }
            foreach (var name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                var matches = containers.Where(c => pattern.IsMatch(c.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name) && Pod is not null && !WildcardPattern.ContainsWildcardCharacters(Pod))
                {
                    WriteEngineError(PodEngineException.ContainerNotFound(pod, name));
                }
                WriteObject(matches, enumerateCollection: true);
            }
        });
    }
}
