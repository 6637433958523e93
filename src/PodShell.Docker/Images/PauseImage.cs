using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;

namespace PodShell.Docker.Images;

/// <summary>
/// The sandbox image, made here from PodShell's own podshell-init (its `pause` role), like Kubernetes'
/// pause image but never pulled: a rootfs holding the binary and the shared libraries it links
/// (NativeAOT links glibc dynamically), imported as podshell/pause:&lt;digest of the binary&gt;.
/// </summary>
public static class PauseImage
{
    public const string Repository = "podshell/pause";
    private static readonly object s_lock = new();

    /// <summary>podshell-init as the module ships it (bin/&lt;rid&gt;/ beside PodShell.dll).</summary>
    public static string BinaryPath
    {
        get
        {
            var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            return Path.Combine(Path.GetDirectoryName(typeof(PodShell.Model.Pod).Assembly.Location)!, "bin", rid, "podshell-init");
        }
    }

    /// <summary>The tag for this build of podshell-init: a new binary gets a new image.</summary>
    public static string Tag(string binary)
    {
        var stamp = File.GetLastWriteTimeUtc(binary);
        var cached = s_tag;
        if (cached is not null && cached.Value.Binary == binary && cached.Value.Stamp == stamp) return cached.Value.Tag;
        using var stream = File.OpenRead(binary);
        var tag = Repository + ":" + Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant().Substring(0, 16);
        s_tag = (binary, stamp, tag);
        return tag;
    }

    private static (string Binary, DateTime Stamp, string Tag)? s_tag;

    /// <summary>The image's reference, importing it first when the daemon lacks it.</summary>
    public static string Ensure(DockerConnection docker, CancellationToken cancel)
    {
        var binary = BinaryPath;
        if (!File.Exists(binary))
        {
            throw new PodEngineException(ErrorIds.PauseBinaryMissing, ErrorCategory.ObjectNotFound, binary,
                $"podshell-init, from which the pause image is made, is missing at {binary}.", "Rebuild or reinstall the module.");
        }
        var tag = Tag(binary);
        lock (s_lock)
        {
            if (Exists(docker, tag, cancel)) return tag;
            using var archive = new MemoryStream();
            WriteRootfs(binary, archive);
            archive.Position = 0;
            var parameters = new ImagesCreateParameters
            {
                FromSrc = "-",
                Repo = Repository,
                Tag = tag.Substring(Repository.Length + 1),
                Changes = new List<string> { "ENTRYPOINT [\"/podshell-init\", \"pause\"]", "LABEL io.podshell.image=pause" },
            };
            DockerConnection.Run(() => docker.Client.Images.CreateImageAsync(parameters, archive, null, new Progress<JSONMessage>(), cancel), cancel);
            if (!Exists(docker, tag, cancel))
            {
                throw new PodEngineException(ErrorIds.PauseImageFailed, ErrorCategory.InvalidResult, tag,
                    $"The pause image {tag} could not be imported into the Docker daemon at {docker.Endpoint.Display}.");
            }
            return tag;
        }
    }

    private static bool Exists(DockerConnection docker, string tag, CancellationToken cancel)
    {
        try
        {
            DockerConnection.Run(() => docker.Client.Images.InspectImageAsync(tag, cancel), cancel);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The rootfs as a tar: /podshell-init, its loader and libraries at their own paths, /proc and /dev to mount on.</summary>
    private static void WriteRootfs(string binary, Stream destination)
    {
        using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        var folders = new SortedSet<string>(StringComparer.Ordinal) { "proc", "dev", "sys", "etc" };
        var files = new List<(string Source, string Target)> { (binary, "podshell-init") };
        foreach (var library in SharedLibraries(binary))
        {
            var target = library.TrimStart('/');
            files.Add((library, target));
            for (var dir = Path.GetDirectoryName(target); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir)) folders.Add(dir);
        }
        foreach (var folder in folders)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder + "/") { Mode = (UnixFileMode)0b111_101_101 });
        }
        foreach (var (source, target) in files)
        {
            // Symbolic links (ld-linux, libc.so.6 on some systems) become regular files with the target's bytes.
            using var content = File.OpenRead(source);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, target) { Mode = (UnixFileMode)0b111_101_101, DataStream = content };
            tar.WriteEntry(entry);
        }
    }

    /// <summary>The loader and libraries the binary needs, as the system's loader resolves them (ldd).</summary>
    private static IReadOnlyList<string> SharedLibraries(string binary)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        string output;
        try
        {
            using var process = Process.Start(start)!;
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                // "not a dynamic executable": a static build needs nothing beside it.
                return Array.Empty<string>();
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PodEngineException(ErrorIds.PauseImageFailed, ErrorCategory.ObjectNotFound, "ldd",
                "ldd (glibc's libc-bin) is needed to find the libraries podshell-init links, for the pause image.", "Install libc-bin.", e);
        }
        var libraries = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
            var arrow = line.IndexOf("=> ", StringComparison.Ordinal);
            var path = arrow >= 0 ? line.Substring(arrow + 3) : line;
            var paren = path.IndexOf(" (", StringComparison.Ordinal);
            if (paren >= 0) path = path.Substring(0, paren);
            if (path.StartsWith('/') && File.Exists(path)) libraries.Add(path);
        }
        return libraries.Distinct(StringComparer.Ordinal).ToList();
    }
}
