using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace PodShell.Engine;

/// <summary>
/// What Kubernetes' API validation refuses in a container (environment, working directory, arguments), and the
/// rootfs paths the native engine cannot use safely. Names are checked by <see cref="NameValidator"/>.
/// </summary>
public static class RequestValidator
{
    public static void Validate(ContainerCreateRequest request)
    {
        ValidateEnvironment(request.Environment);
        ValidateWorkingDirectory(request.WorkingDirectory);
        ValidateArguments(request.Args);
        if (request.RootFs is not null) ValidateRootFs(request.RootFs);
    }

    /// <summary>Kubernetes' relaxed rule: a name of printable ASCII without '='; a value without NUL (execve cannot carry it).</summary>
    public static void ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (name.Length == 0 || name.Any(c => c < 0x20 || c > 0x7e || c == '='))
            {
                throw new PodEngineException(ErrorIds.InvalidEnvironment, ErrorCategory.InvalidArgument, name,
                    $"'{Printable(name)}' is not a valid environment variable name: it must be one or more printable ASCII characters other than '='.",
                    "Use names such as PATH, HTTP_PROXY or my.setting.");
            }
            if (value.Contains('\0'))
            {
                throw new PodEngineException(ErrorIds.InvalidEnvironment, ErrorCategory.InvalidArgument, name,
                    $"The value of the environment variable '{name}' holds a NUL character, which a process environment cannot carry.",
                    "Remove the NUL character from the value.");
            }
        }
    }

    /// <summary>Absolute, as Kubernetes requires, and not under /proc (a working directory there can reach outside the container).</summary>
    public static void ValidateWorkingDirectory(string? directory)
    {
        if (directory is null) return;
        string? problem = null;
        if (directory.Length == 0 || directory[0] != '/') problem = "it must be an absolute path";
        else if (directory.Any(char.IsControl)) problem = "it holds control characters";
        else if (directory == "/proc" || directory.StartsWith("/proc/", System.StringComparison.Ordinal)) problem = "a working directory in /proc can lead outside the container's root";
        if (problem is not null)
        {
            throw new PodEngineException(ErrorIds.InvalidWorkingDirectory, ErrorCategory.InvalidArgument, directory,
                $"'{Printable(directory)}' is not a valid working directory: {problem}.", "Pass -WorkingDirectory with an absolute path such as /app.");
        }
    }

    public static void ValidateArguments(IReadOnlyList<string> args)
    {
        foreach (string arg in args)
        {
            if (arg.Contains('\0'))
            {
                throw new PodEngineException(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, Printable(arg),
                    "A command argument holds a NUL character, which execve cannot pass.", "Remove the NUL character.");
            }
        }
    }

    /// <summary>
    /// An existing folder other than the node's root, whose path the overlay mount options can hold (they are split
    /// at ',' and ':' and escaped with '\').
    /// </summary>
    public static void ValidateRootFs(string rootfs)
    {
        if (rootfs.IndexOfAny(new[] { ':', ',', '\\' }) >= 0 || rootfs.Any(char.IsControl))
        {
            throw new PodEngineException(ErrorIds.InvalidRootFs, ErrorCategory.InvalidArgument, rootfs,
                $"The rootfs path '{Printable(rootfs)}' holds ':', ',', '\\' or a control character, which the overlay mount's options cannot hold.",
                "Move or link the rootfs to a path without those characters.");
        }
        if (File.Exists(rootfs))
        {
            throw new PodEngineException(ErrorIds.InvalidRootFs, ErrorCategory.InvalidArgument, rootfs,
                $"The rootfs '{rootfs}' is a file, not a folder.", "Pass -RootFs with a folder that holds a root filesystem.");
        }
        if (!Directory.Exists(rootfs))
        {
            throw new PodEngineException(ErrorIds.RootFsNotFound, ErrorCategory.ObjectNotFound, rootfs,
                $"The rootfs folder '{rootfs}' does not exist.", "Pass -RootFs with a folder that holds a root filesystem (for example one made by debootstrap or an unpacked image).");
        }
        if (IsNodeRoot(rootfs))
        {
            throw new PodEngineException(ErrorIds.InvalidRootFs, ErrorCategory.InvalidArgument, rootfs,
                $"The rootfs '{rootfs}' is the node's own root folder.", "Use -Image host for a container of the node's root (read-only, with PodShell's state hidden).");
        }
    }

    /// <summary>"/", or a path that resolves to it (symlinks, "..", /proc/1/root).</summary>
    private static bool IsNodeRoot(string path) => (Linux.Libc.RealPath(path) ?? Path.GetFullPath(path)) == "/";

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
