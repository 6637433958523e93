using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PodShell.Protocol;
using PodShell.State;

namespace PodShell.Security;

/// <summary>
/// Names the file in which podshell-init keeps a profile's compiled seccomp program (libseccomp's BPF), so a profile
/// is compiled once per node and boot instead of at every container start: PODSHELL_CACHE_ROOT (default
/// /run/podshell-cache, a tmpfs emptied at boot) /seccomp/ SHA-256 of the resolved profile, the architecture and the
/// kernel .bpf. podshell-init checks the file's owner, mode, libseccomp version and checksum before it uses it.
/// </summary>
public static class SeccompProgramCache
{
    public const string RootVariable = "PODSHELL_CACHE_ROOT";
    public const string DefaultRoot = "/run/podshell-cache";

    public static string Root
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? DefaultRoot : Path.GetFullPath(fromEnvironment);
        }
    }

    private static readonly Lazy<string> s_kernel = new(() =>
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return "unknown"; }
    });

    /// <summary>The cache file of this profile; null for no profile.</summary>
    public static string? FileFor(SeccompSpec? profile)
    {
        if (profile is null) return null;
        var identity = $"podshell-seccomp 1\n{RuntimeInformation.ProcessArchitecture}\n{s_kernel.Value}\n{JsonSerializer.Serialize(profile, StateStore.Json)}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))).ToLowerInvariant();
        return Path.Combine(Root, "seccomp", hash + ".bpf");
    }
}
