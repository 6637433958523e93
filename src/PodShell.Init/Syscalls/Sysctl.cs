using System.Collections.Generic;
using System.Text;

namespace PodShell.Init.Syscalls;

/// <summary>
/// Namespaced sysctls, written under /proc/sys by the thread that just unshared the pod's namespaces: the kernel
/// resolves net.* files to the writer's network namespace and the ipc ones (kernel.shm*, kernel.msg*, kernel.sem,
/// fs.mqueue.*) to its ipc namespace, so the node's own values stay as they are.
/// </summary>
internal static unsafe class Sysctl
{
    public static void WriteAll(Dictionary<string, string> sysctls, bool ownNetwork, bool ownIpc)
    {
        foreach (var (name, value) in sysctls)
        {
            // The module checked this already; written from the node's namespaces, a sysctl would change the node.
            bool net = name.StartsWith("net.", System.StringComparison.Ordinal);
            bool ipc = name == "kernel.sem" || name.StartsWith("kernel.shm", System.StringComparison.Ordinal)
                || name.StartsWith("kernel.msg", System.StringComparison.Ordinal) || name.StartsWith("fs.mqueue.", System.StringComparison.Ordinal);
            if (!(net && ownNetwork || ipc && ownIpc)) throw new InitException($"sysctl {name} is not of a namespace the pod has of its own: refused");
            Write(name, value);
        }
    }

    private static void Write(string name, string value)
    {
        string path = "/proc/sys/" + PathOf(name);
        int fd = Libc.open(path, Flags.O_WRONLY | Flags.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Check.Errno;
            throw new InitException(errno switch
            {
                Flags.ENOENT => $"sysctl {name}: the pod's namespaces have no {path} (this kernel does not namespace it, or has no such sysctl)",
                Flags.EACCES => $"sysctl {name}: {path} is read-only in the pod's namespaces (this kernel keeps it node-wide)",
                _ => $"sysctl {name}: open {path}: {SyscallException.Describe(errno)}",
            });
        }
        try
        {
            byte[] data = Encoding.UTF8.GetBytes(value);
            fixed (byte* p = data)
            {
                if (Libc.write(fd, p, data.Length) < 0) throw new InitException($"sysctl {name}={value}: the kernel refused the value: {SyscallException.Describe(Check.Errno)}");
            }
        }
        finally { Libc.close(fd); }
    }

    /// <summary>Dots separate levels; a slash stands for a dot inside one level (an interface name such as eth0.100).</summary>
    private static string PathOf(string name)
    {
        var path = new StringBuilder(name.Length);
        foreach (char c in name) path.Append(c == '.' ? '/' : c == '/' ? '.' : c);
        string result = path.ToString();
        if (result.Length == 0 || result[0] == '/' || result.Contains("//") || System.Array.IndexOf(result.Split('/'), "..") >= 0 || System.Array.IndexOf(result.Split('/'), ".") >= 0)
            throw new InitException($"sysctl name '{name}' is not a sysctl");
        return result;
    }
}
