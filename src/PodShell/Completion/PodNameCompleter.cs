using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PodShell.Completion;

/// <summary>Completes pod names (-Name of the pod cmdlets, -Pod of the container cmdlets).</summary>
public sealed class PodNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionWords.Complete(NameCatalog.PodNames(), wordToComplete, "pod");
}
