using System;
using System.Text;

namespace PodShell.Manifest;

/// <summary>
/// Kubernetes' $(VAR) expansion in command, args and env values (k8s.io/kubernetes third_party/forked/golang/expansion):
/// $(NAME) becomes the variable's value when it is defined, and stays as written when not; $$ is a literal $.
/// </summary>
public static class KubeExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
                continue;
            }
            if (next == '(')
            {
                var close = input.IndexOf(')', i + 2);
                if (close < 0)
                {
                    // An unclosed reference is kept as written, "$(" included.
                    output.Append(input, i, input.Length - i);
                    break;
                }
                var name = input.Substring(i + 2, close - i - 2);
                output.Append(name.Length > 0 && lookup(name) is { } value ? value : input.Substring(i, close - i + 1));
                i = close;
                continue;
            }
            output.Append('$');
        }
        return output.ToString();
    }
}
