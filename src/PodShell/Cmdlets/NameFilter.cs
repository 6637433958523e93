using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>-Name of the Get cmdlets: PowerShell wildcards, case-insensitive; a plain name that matches nothing is an error, a pattern is not.</summary>
internal static class NameFilter
{
    public static List<T> Match<T>(IEnumerable<T> items, string name, Func<T, string> nameOf, out bool notFound)
    {
        var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
        var matches = items.Where(item => pattern.IsMatch(nameOf(item))).ToList();
        notFound = matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name);
        return matches;
    }
}
