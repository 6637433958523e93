using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodShell.Security;

namespace PodShell.Completion;

/// <summary>Completes Linux capability names (-AddCapability, -DropCapability): ALL and NET_ADMIN..., or CAP_NET_ADMIN... when CAP_ is typed.</summary>
public sealed class CapabilityCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var names = typed.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase)
            ? ContainerCapabilities.Known.Select(n => "CAP_" + n)
            : ContainerCapabilities.Known.Prepend(ContainerCapabilities.All);
        return CompletionWords.Complete(names, wordToComplete ?? "", "capability");
    }
}
