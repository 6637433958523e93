using System;
using System.Collections.Generic;
using System.Net.Http.Headers;

namespace PodShell.Images.Registry;

/// <summary>A WWW-Authenticate challenge: its scheme (Bearer or Basic) and parameters (realm, service, scope).</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

    public static AuthChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        foreach (var header in headers)
        {
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return new AuthChallenge(header.Scheme, ParseParameters(header.Parameter ?? ""));
            }
        }
        return null;
    }

    /// <summary>key="value" pairs separated by commas; values may hold commas inside quotes (scope lists).</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0) break;
            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    builder.Append(text[i++]);
                }
                i++;
                value = builder.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                value = (comma < 0 ? text[i..] : text[i..comma]).Trim();
                i = comma < 0 ? text.Length : comma;
            }
            result[key] = value;
        }
        return result;
    }
}
