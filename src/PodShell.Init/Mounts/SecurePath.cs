using System.Collections.Generic;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Mounts;

/// <summary>Resolves a container path under the rootfs, following symlinks as if the rootfs were "/" (never out of it).</summary>
internal static class SecurePath
{
    public static string Join(string root, string path)
    {
        var pending = new Stack<string>();
        PushParts(pending, path);
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = root + "/" + string.Join('/', resolved) + (resolved.Count > 0 ? "/" : "") + part;
            string? target = Fd.ReadLink(candidate);
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > 255) throw new InitException($"too many symlinks resolving {path} in the rootfs");
            if (target.StartsWith('/')) resolved.Clear();
            PushParts(pending, target);
        }
        return resolved.Count == 0 ? root : root + "/" + string.Join('/', resolved);
    }

    private static void PushParts(Stack<string> stack, string path)
    {
        string[] parts = path.Split('/');
        for (int i = parts.Length - 1; i >= 0; i--) stack.Push(parts[i]);
    }
}
