using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>Tab completion of network names: None, Host and the networks of the engine named by -Engine (the native engine's CNI folder, or the Docker daemon's networks).</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var folder = fakeBoundParameters["CniConfigDirectory"] as string;
        IEnumerable<string> names;
        try
        {
            var engine = fakeBoundParameters["Engine"] is { } given && System.Enum.TryParse<Model.PodEngineKind>(given.ToString(), ignoreCase: true, out var kind)
                ? kind : EngineDefaults.FromEnvironment();
            names = NetworkRegistry.Get(engine).GetNetworks(engine == Model.PodEngineKind.Native ? folder : null).Select(n => n.Name).ToList();
        }
        catch (System.Exception)
        {
            names = Enumerable.Empty<string>();
        }
        var pattern = WildcardPattern.Get(wordToComplete + "*", WildcardOptions.IgnoreCase);
        // Docker's own none and host networks are the None and Host every engine takes.
        return names.Where(n => !n.Equals("None", System.StringComparison.OrdinalIgnoreCase) && !n.Equals("Host", System.StringComparison.OrdinalIgnoreCase))
            .Concat(new[] { "None", "Host" }).Where(n => pattern.IsMatch(n)).Select(n => new CompletionResult(n));
    }
}
