using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace PodShell.Cmdlets;

/// <summary>A hashtable parameter (-Label, -Environment, -Sysctl, -Unified, -ImageMap) as the string pairs the engine takes.</summary>
internal static class HashtableArguments
{
    /// <summary>Keys and values as PowerShell converts them to strings (a $null value is empty); an absent table is an empty one.</summary>
    public static Dictionary<string, string> ToStrings(IDictionary? table)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null) return pairs;
        foreach (DictionaryEntry entry in table)
        {
            pairs[LanguagePrimitives.ConvertTo<string>(entry.Key)] = LanguagePrimitives.ConvertTo<string>(entry.Value) ?? "";
        }
        return pairs;
    }
}
