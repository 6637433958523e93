using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodShell.Model;

namespace PodShell.Completion;

/// <summary>
/// Completes container names within the pod already typed (-Pod, or a pod name given by position);
/// without a pod, the names of every pod's containers.
/// </summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pods = PodsTyped(fakeBoundParameters);
        var names = pods.Count > 0
            ? pods.SelectMany(NameCatalog.ContainerNames)
            : NameCatalog.PodNames().SelectMany(NameCatalog.ContainerNames);
        return CompletionWords.Complete(names.Distinct(), wordToComplete, "container");
    }

    /// <summary>The pod names typed so far: a string (wildcards allowed), strings, or Pod objects.</summary>
    private static List<string> PodsTyped(IDictionary bound)
    {
        var result = new List<string>();
        var value = bound.Contains("Pod") ? bound["Pod"] : bound.Contains("PodName") ? bound["PodName"] : null;
        foreach (var item in value is string or Pod || value is not IEnumerable ? new[] { value } : ((IEnumerable)value).Cast<object?>())
        {
            var o = item is PSObject p ? p.BaseObject : item;
            var name = o is Pod pod ? pod.Name : o?.ToString();
            if (string.IsNullOrEmpty(name)) continue;
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                result.AddRange(NameCatalog.PodNames().Where(pattern.IsMatch));
            }
            else
            {
                result.Add(name);
            }
        }
        return result;
    }
}
