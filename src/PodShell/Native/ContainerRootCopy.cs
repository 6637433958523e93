using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using PodShell.Engine;
using PodShell.Linux;

namespace PodShell.Native;

/// <summary>
/// docker cp for the native engine, through a container's root (/proc/&lt;pid&gt;/root held as a directory
/// fd). Container paths are resolved with openat2(RESOLVE_IN_ROOT): "..", absolute paths and symlinks all
/// stay inside the container's root, so a symlink planted in the container can never point the copy at
/// the node's files. Below the first path every step is one name, opened without following symlinks;
/// symlinks are copied as links.
/// </summary>
internal sealed class ContainerRootCopy : IDisposable
{
    private const ulong InRoot = FileAt.RESOLVE_IN_ROOT | FileAt.RESOLVE_NO_MAGICLINKS;
    private const ulong OneName = FileAt.RESOLVE_BENEATH | FileAt.RESOLVE_NO_SYMLINKS | FileAt.RESOLVE_NO_MAGICLINKS;
    private const int AtCwd = -100;
    private const int ENOENT = 2, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, ELOOP = 40, EXDEV = 18;

    private readonly int _root;
    private readonly string _target;
    private readonly CancellationToken _cancel;
    private readonly List<string> _skipped = new();
    private int _files, _directories, _links;
    private long _bytes;

    private ContainerRootCopy(int root, string target, CancellationToken cancel)
    {
        _root = root;
        _target = target;
        _cancel = cancel;
    }

    /// <summary>Opens the root of process <paramref name="pid"/>; the caller checks afterwards that it is still the container's process.</summary>
    public static ContainerRootCopy Open(int pid, string target, CancellationToken cancel)
    {
        var fd = FileAt.open($"/proc/{pid}/root", FileAt.O_PATH | FileAt.O_DIRECTORY | FileAt.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(target, $"Cannot open the root of process {pid}", Marshal.GetLastPInvokeError());
        return new ContainerRootCopy(fd, target, cancel);
    }

    public void Dispose() => FileAt.close(_root);

    private ContainerCopyResult Result(string destination) => new(_files, _directories, _links, _bytes, destination, _skipped);

    // ---- out of the container ----

    public ContainerCopyResult CopyOut(string containerPath, string hostPath)
    {
        var contentsOnly = containerPath.EndsWith("/.", StringComparison.Ordinal);
        var source = OpenInRoot(containerPath, FileAt.O_PATH | FileAt.O_NOFOLLOW);
        try
        {
            var mode = ModeOf(source, "", containerPath);
            var host = Path.GetFullPath(hostPath);
            var name = BaseName(containerPath);
            string destination;
            if ((mode & FileAt.S_IFMT) == FileAt.S_IFDIR)
            {
                if (File.Exists(host) && !Directory.Exists(host)) throw Invalid($"'{hostPath}' is a file: a folder cannot be copied onto it.");
                destination = Directory.Exists(host) ? (contentsOnly || name.Length == 0 ? host : Path.Combine(host, name)) : RequireHostParent(hostPath, host);
                CopyDirectoryOut(source, destination, mode);
            }
            else
            {
                if (Directory.Exists(host)) destination = Path.Combine(host, name);
                else if (hostPath.EndsWith('/')) throw Invalid($"The folder '{hostPath}' does not exist.");
                else destination = RequireHostParent(hostPath, host);
                CopyEntryOut(source, "", destination, mode, containerPath);
            }
            return Result(destination);
        }
        finally
        {
            FileAt.close(source);
        }
    }

    private void CopyDirectoryOut(int directory, string destination, int mode)
    {
        _cancel.ThrowIfCancellationRequested();
        Directory.CreateDirectory(destination);
        _directories++;
        foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{directory}"))
        {
            var name = Path.GetFileName(entry);
            var child = FileAt.openat2(directory, name, FileAt.O_PATH | FileAt.O_NOFOLLOW | FileAt.O_CLOEXEC, 0, OneName);
            if (child < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == ENOENT) continue; // removed while we copy
                throw Failed(name, "Cannot open", errno);
            }
            try
            {
                var childMode = ModeOf(child, "", name);
                var target = Path.Combine(destination, name);
                if ((childMode & FileAt.S_IFMT) == FileAt.S_IFDIR) CopyDirectoryOut(child, target, childMode);
                else CopyEntryOut(child, "", target, childMode, name);
            }
            finally
            {
                FileAt.close(child);
            }
        }
        // Last: a read-only folder's mode would stop its own files being written.
        File.SetUnixFileMode(destination, (UnixFileMode)(mode & 0xFFF));
    }

    private unsafe void CopyEntryOut(int fd, string path, string destination, int mode, string shown)
    {
        _cancel.ThrowIfCancellationRequested();
        switch (mode & FileAt.S_IFMT)
        {
            case FileAt.S_IFREG:
                var read = FileAt.open($"/proc/self/fd/{fd}", FileAt.O_RDONLY | FileAt.O_CLOEXEC, 0);
                if (read < 0) throw Failed(shown, "Cannot read", Marshal.GetLastPInvokeError());
                using (var input = new FileStream(new SafeFileHandle(read, ownsHandle: true), FileAccess.Read))
                using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write))
                {
                    input.CopyTo(output);
                    _bytes += output.Length;
                }
                File.SetUnixFileMode(destination, (UnixFileMode)(mode & 0xFFF));
                _files++;
                break;
            case FileAt.S_IFLNK:
                var buffer = new byte[4096];
                nint length;
                fixed (byte* b = buffer) length = FileAt.readlinkat(fd, path, b, buffer.Length);
                if (length < 0) throw Failed(shown, "Cannot read the link", Marshal.GetLastPInvokeError());
                if (File.Exists(destination) || Directory.Exists(destination)) File.Delete(destination);
                File.CreateSymbolicLink(destination, System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length));
                _links++;
                break;
            default:
                _skipped.Add(shown);
                break;
        }
    }

    // ---- into the container ----

    public ContainerCopyResult CopyIn(string hostPath, string containerPath)
    {
        var source = Path.GetFullPath(hostPath);
        var info = new FileInfo(source);
        var isLink = info.Exists && info.LinkTarget is not null;
        var isDirectory = !isLink && Directory.Exists(source);
        if (!isDirectory && !info.Exists && !isLink)
        {
            throw new PodEngineException(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, hostPath,
                $"'{hostPath}' does not exist on this node.", "Check the path: Test-Path " + hostPath + ".");
        }
        var contentsOnly = hostPath.EndsWith("/.", StringComparison.Ordinal);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(source.TrimEnd('.')));
        var existing = FileAt.openat2(_root, containerPath, FileAt.O_PATH | FileAt.O_CLOEXEC, 0, InRoot);
        var existingErrno = existing < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (existing < 0 && existingErrno != ENOENT) throw Failed(containerPath, "Cannot open", existingErrno);
        try
        {
            if (existing >= 0 && (ModeOf(existing, "", containerPath) & FileAt.S_IFMT) == FileAt.S_IFDIR)
            {
                if (isDirectory && contentsOnly)
                {
                    CopyChildrenIn(source, existing);
                    return Result(containerPath);
                }
                CopyEntryIn(source, existing, name, isDirectory, isLink);
                return Result(containerPath.TrimEnd('/') + "/" + name);
            }
            if (existing >= 0)
            {
                if (isDirectory) throw Invalid($"'{containerPath}' is a file in the container: a folder cannot be copied onto it.");
                // An existing file (a symlink already resolved inside the root): write to what it names.
                WriteFileThrough(existing, source, containerPath);
                return Result(containerPath);
            }
            if (containerPath.EndsWith('/')) throw Invalid($"The folder '{containerPath}' does not exist in the container.");
            var parentPath = ParentOf(containerPath);
            var parent = OpenInRoot(parentPath, FileAt.O_PATH | FileAt.O_DIRECTORY);
            try
            {
                CopyEntryIn(source, parent, BaseName(containerPath), isDirectory, isLink);
            }
            finally
            {
                FileAt.close(parent);
            }
            return Result(containerPath);
        }
        finally
        {
            if (existing >= 0) FileAt.close(existing);
        }
    }

    private void CopyEntryIn(string source, int parent, string name, bool isDirectory, bool isLink)
    {
        _cancel.ThrowIfCancellationRequested();
        if (isLink)
        {
            var target = new FileInfo(source).LinkTarget!;
            if (FileAt.symlinkat(target, parent, name) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EEXIST || FileAt.unlinkat(parent, name, 0) != 0 || FileAt.symlinkat(target, parent, name) != 0)
                {
                    throw Failed(name, "Cannot make the link", errno == EEXIST ? Marshal.GetLastPInvokeError() : errno);
                }
            }
            _links++;
            return;
        }
        if (isDirectory)
        {
            var mode = (uint)File.GetUnixFileMode(source);
            if (FileAt.mkdirat(parent, name, mode) != 0 && Marshal.GetLastPInvokeError() != EEXIST)
            {
                throw Failed(name, "Cannot make the folder", Marshal.GetLastPInvokeError());
            }
            var directory = FileAt.openat2(parent, name, FileAt.O_PATH | FileAt.O_DIRECTORY | FileAt.O_NOFOLLOW | FileAt.O_CLOEXEC, 0, OneName);
            if (directory < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw errno is ENOTDIR or ELOOP
                    ? Invalid($"'{name}' exists in the container and is not a folder (or is a symlink): it is not replaced by a folder.")
                    : Failed(name, "Cannot open the folder", errno);
            }
            try
            {
                _directories++;
                CopyChildrenIn(source, directory);
            }
            finally
            {
                FileAt.close(directory);
            }
            return;
        }
        if ((FileAt.Mode(AtCwd, source) & FileAt.S_IFMT) != FileAt.S_IFREG)
        {
            _skipped.Add(source); // a device, fifo or socket of the node
            return;
        }
        var fd = FileAt.openat2(parent, name, FileAt.O_WRONLY | FileAt.O_CREAT | FileAt.O_TRUNC | FileAt.O_NOFOLLOW | FileAt.O_CLOEXEC,
            (uint)File.GetUnixFileMode(source), OneName);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ELOOP => Invalid($"'{name}' is a symlink in the container: PodShell does not write through it. Copy onto the path it names."),
                EISDIR => Invalid($"'{name}' is a folder in the container: a file cannot be copied onto it."),
                _ => Failed(name, "Cannot write", errno),
            };
        }
        WriteFile(fd, source);
    }

    private void CopyChildrenIn(string source, int directory)
    {
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var isLink = entry.LinkTarget is not null;
            var isDirectory = !isLink && entry is DirectoryInfo;
            CopyEntryIn(entry.FullName, directory, entry.Name, isDirectory, isLink);
        }
    }

    private void WriteFileThrough(int existing, string source, string shown)
    {
        var fd = FileAt.open($"/proc/self/fd/{existing}", FileAt.O_WRONLY | FileAt.O_TRUNC | FileAt.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(shown, "Cannot write", Marshal.GetLastPInvokeError());
        WriteFile(fd, source);
    }

    private void WriteFile(int fd, string source)
    {
        FileAt.fchmod(fd, (uint)File.GetUnixFileMode(source));
        using (var output = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write))
        using (var input = File.OpenRead(source))
        {
            input.CopyTo(output);
            _bytes += input.Length;
        }
        _files++;
    }

    // ---- paths ----

    private int OpenInRoot(string path, int flags)
    {
        var fd = FileAt.openat2(_root, path, flags | FileAt.O_CLOEXEC, 0, InRoot);
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is ENOENT or ENOTDIR)
        {
            throw new PodEngineException(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, $"{_target}:{path}",
                $"'{path}' does not exist in container {_target}.", $"List it with: Invoke-PodCommand {_target.Replace('/', ' ')} -- ls -la {ParentOf(path)}");
        }
        throw Failed(path, "Cannot open", errno);
    }

    private static int ModeOf(int fd, string path, string shown)
    {
        var mode = FileAt.Mode(fd, path);
        if (mode < 0) throw Failed(shown, "Cannot stat", Marshal.GetLastPInvokeError());
        return mode;
    }

    private static string RequireHostParent(string hostPath, string full)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) throw Invalid($"The folder '{parent}' (where '{hostPath}' would go) does not exist.");
        return full;
    }

    private static string BaseName(string path)
    {
        var trimmed = path.EndsWith("/.", StringComparison.Ordinal) ? path[..^2] : path;
        trimmed = trimmed.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private static string ParentOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    private static PodEngineException Invalid(string message) =>
        new(ErrorIds.InvalidCopyPath, ErrorCategory.InvalidArgument, null, message, "See Get-Help Copy-PodItem for where files land (docker cp's rules).");

    private static PodEngineException Failed(string path, string what, int errno) =>
        new(ErrorIds.CopyFailed, errno == EXDEV ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, path,
            $"{what} '{path}': {Libc.ErrorText(errno)}.");
}
