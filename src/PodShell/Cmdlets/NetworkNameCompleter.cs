using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Tab completion of network names: None, Host and the networks of the native engine's CNI folder.</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var folder = fakeBoundParameters["CniConfigDirectory"] as string;
        IEnumerable<string> names;
        try
        {
            names = NetworkRegistry.Get(Model.PodEngineKind.Native).GetNetworks(folder).Select(n => n.Name).ToList();
        }
        catch (System.Exception)
        {
            names = Enumerable.Empty<string>();
        }
        var pattern = WildcardPattern.Get(wordToComplete + "*", WildcardOptions.IgnoreCase);
        return names.Concat(new[] { "None", "Host" }).Where(n => pattern.IsMatch(n)).Select(n => new CompletionResult(n));
    }
}
