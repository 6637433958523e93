using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PodShell.Completion;

internal static class CompletionWords
{
    /// <summary>The names that start with (or match, when it has wildcards) the word typed so far, quotes kept.</summary>
    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string wordToComplete, string kind)
    {
        var word = wordToComplete ?? "";
        var quote = word.Length > 0 && (word[0] == '\'' || word[0] == '"') ? word[0].ToString() : "";
        var typed = word.Trim('\'', '"');
        var pattern = WildcardPattern.Get(WildcardPattern.ContainsWildcardCharacters(typed) ? typed : typed + "*", WildcardOptions.IgnoreCase);
        foreach (var name in names.Where(pattern.IsMatch).OrderBy(n => n, StringComparer.Ordinal))
        {
            yield return new CompletionResult(quote + name + quote, name, CompletionResultType.ParameterValue, $"{kind} {name}");
        }
    }
}
