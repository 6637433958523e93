using System.IO;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Process;

/// <summary>argv[0] through PATH, in the current root (the container's after pivot_root).</summary>
internal static class CommandResolver
{
    public const int NotFound = 127;

    public static string Resolve(string command, string path)
    {
        if (command.Length == 0) throw new InitException("the command is empty", NotFound);
        if (command.Contains('/'))
        {
            if (!File.Exists(command)) throw new InitException($"exec: \"{command}\": stat {command}: no such file or directory", NotFound);
            return command;
        }
        foreach (string dir in path.Split(':'))
        {
            string candidate = (dir.Length == 0 ? "." : dir) + "/" + command;
            if (File.Exists(candidate) && Libc.access(candidate, Flags.X_OK) == 0) return candidate;
        }
        throw new InitException($"exec: \"{command}\": executable file not found in $PATH", NotFound);
    }
}
