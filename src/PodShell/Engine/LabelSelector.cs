using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace PodShell.Engine;

/// <summary>
/// A Kubernetes label selector in its string form (kubectl -l): requirements joined by commas, each
/// <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>,
/// <c>key</c> (exists) or <c>!key</c> (does not exist). Every requirement must hold.
/// </summary>
public sealed class LabelSelector
{
    private enum Operator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!, StringComparer.Ordinal),
                // As in Kubernetes: != and notin also match objects without the key.
                _ => !has || !Values.Contains(value!, StringComparer.Ordinal),
            };
        }
    }

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public bool Matches(IDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses a selector; throws a PodEngineException (InvalidLabelSelector) that says what is wrong.</summary>
    public static LabelSelector Parse(string text)
    {
        var requirements = new List<Requirement>();
        foreach (var part in SplitRequirements(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return new LabelSelector(requirements);
    }

    /// <summary>Splits at commas outside parentheses ("a=b,c in (x,y)" has two requirements).</summary>
    private static IEnumerable<string> SplitRequirements(string text)
    {
        var depth = 0;
        var current = new StringBuilder();
        foreach (var ch in text)
        {
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            if (ch == ',' && depth == 0)
            {
                yield return current.ToString();
                current.Clear();
                continue;
            }
            current.Append(ch);
        }
        yield return current.ToString();
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0) throw Invalid(whole, "it has an empty requirement (two commas in a row, or a comma at an end)");
        if (part.StartsWith('!'))
        {
            var key = part.Substring(1).Trim();
            return new Requirement(CheckKey(key, whole), Operator.DoesNotExist, Array.Empty<string>());
        }
        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            var key = part.Substring(0, at).Trim();
            var value = part.Substring(at + token.Length).Trim();
            return new Requirement(CheckKey(key, whole), op, new[] { CheckValue(key, value, whole) });
        }
        var words = part.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1) return new Requirement(CheckKey(words[0], whole), Operator.Exists, Array.Empty<string>());
        var rest = words[1].TrimStart();
        foreach (var (word, op) in new[] { ("notin", Operator.NotIn), ("in", Operator.In) })
        {
            if (!rest.StartsWith(word, StringComparison.Ordinal)) continue;
            var list = rest.Substring(word.Length).Trim();
            if (!list.StartsWith('(') || !list.EndsWith(')'))
            {
                throw Invalid(whole, $"'{word}' needs a list of values in parentheses, for example: {words[0]} {word} (a,b)");
            }
            var values = list.Substring(1, list.Length - 2).Split(',').Select(v => v.Trim()).ToList();
            if (values.Count == 1 && values[0].Length == 0) throw Invalid(whole, $"the list after '{word}' is empty");
            foreach (var v in values) CheckValue(words[0], v, whole);
            return new Requirement(CheckKey(words[0], whole), op, values);
        }
        throw Invalid(whole, $"'{part}' is not a requirement: use key=value, key==value, key!=value, key in (a,b), key notin (a,b), key or !key");
    }

    private static string CheckKey(string key, string whole)
    {
        var problems = NameValidator.QualifiedNameProblems(key);
        if (problems.Count > 0) throw Invalid(whole, $"key '{key}': {string.Join("; ", problems)}");
        return key;
    }

    private static string CheckValue(string key, string value, string whole)
    {
        var problems = NameValidator.LabelValueProblems(value);
        if (problems.Count > 0) throw Invalid(whole, $"value '{value}' of key '{key}': {string.Join("; ", problems)}");
        return value;
    }

    private static PodEngineException Invalid(string selector, string why) => new(
        ErrorIds.InvalidLabelSelector, ErrorCategory.InvalidArgument, selector,
        $"Invalid label selector '{selector}': {why}.",
        "Write requirements as Kubernetes does, joined by commas: app=web, tier!=db, 'env in (prod,staging)', 'release notin (canary)', app, !legacy.");
}
