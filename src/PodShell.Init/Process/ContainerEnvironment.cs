using System.Collections.Generic;
using System.Text;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Process;

/// <summary>The container's environment: the spec's variables plus PATH, HOSTNAME and HOME defaults, then overrides.</summary>
internal static unsafe class ContainerEnvironment
{
    public const string DefaultPath = DefaultSearchPath.Value;

    public static List<KeyValuePair<string, string>> Build(IReadOnlyDictionary<string, string> spec, string home, IEnumerable<string> overrides)
    {
        var list = new List<KeyValuePair<string, string>>();
        void Set(string key, string value)
        {
            int i = list.FindIndex(p => p.Key == key);
            if (i >= 0) list[i] = new(key, value);
            else list.Add(new(key, value));
        }
        foreach (var pair in spec) Set(pair.Key, pair.Value);
        foreach (string item in overrides)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw new InitException($"--env needs KEY=VALUE, got '{item}'");
            Set(item[..eq], item[(eq + 1)..]);
        }
        if (!list.Exists(p => p.Key == "PATH")) list.Insert(0, new("PATH", DefaultPath));
        if (!list.Exists(p => p.Key == "HOSTNAME")) list.Add(new("HOSTNAME", Hostname()));
        if (!list.Exists(p => p.Key == "HOME")) list.Add(new("HOME", home));
        return list;
    }

    public static string Get(List<KeyValuePair<string, string>> env, string key) =>
        env.Find(p => p.Key == key).Value ?? "";

    public static string[] ToStrings(List<KeyValuePair<string, string>> env) =>
        env.ConvertAll(p => p.Key + "=" + p.Value).ToArray();

    private static string Hostname()
    {
        byte* buffer = stackalloc byte[256];
        if (Libc.gethostname(buffer, 256) < 0) return "";
        int length = 0;
        while (length < 256 && buffer[length] != 0) length++;
        return Encoding.UTF8.GetString(buffer, length);
    }
}
