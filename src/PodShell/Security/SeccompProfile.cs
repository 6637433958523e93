using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using PodShell.Engine;
using PodShell.Protocol;
using System.Management.Automation;

namespace PodShell.Security;

/// <summary>
/// A seccomp profile in the OCI/Docker JSON format (the format of Docker's default.json, `docker run --security-opt
/// seccomp=FILE` and Kubernetes' Localhost profiles): read from a file, or the built-in RuntimeDefault. Resolved per
/// container (capabilities, architecture, kernel) into the flat <see cref="SeccompSpec"/> podshell-init loads.
/// </summary>
public sealed class SeccompProfile
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ERRNO";
    public int? DefaultErrnoRet { get; set; }
    /// <summary>The older format: the architectures the filter covers.</summary>
    public List<string>? Architectures { get; set; }
    public List<SeccompArchitecture>? ArchMap { get; set; }
    public List<SeccompSyscall>? Syscalls { get; set; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a profile file; FormatException (with the reason) when it is not a profile.</summary>
    public static SeccompProfile Parse(string json)
    {
        SeccompProfile? profile;
        try { profile = JsonSerializer.Deserialize<SeccompProfile>(json, Options); }
        catch (JsonException e) { throw new FormatException($"it is not valid seccomp profile JSON: {e.Message}", e); }
        if (profile is null) throw new FormatException("it is empty (null).");
        if (string.IsNullOrEmpty(profile.DefaultAction)) throw new FormatException("it has no defaultAction.");
        profile.Check();
        return profile;
    }

    /// <summary>
    /// What -SeccompProfile (or a request's SeccompProfile) names: RuntimeDefault (also when empty, or Kubernetes' old
    /// runtime/default), Unconfined, or else Localhost, a profile file.
    /// </summary>
    public static string KindOf(string? asked) =>
        string.IsNullOrEmpty(asked) || string.Equals(asked, Model.PodContainerSecurity.RuntimeDefault, StringComparison.OrdinalIgnoreCase)
            || string.Equals(asked, "runtime/default", StringComparison.OrdinalIgnoreCase) ? Model.PodContainerSecurity.RuntimeDefault
        : string.Equals(asked, Model.PodContainerSecurity.Unconfined, StringComparison.OrdinalIgnoreCase) ? Model.PodContainerSecurity.Unconfined
        : Model.PodContainerSecurity.Localhost;

    /// <summary>
    /// A profile file's text, checked (Add-PodContainer -SeccompProfile FILE, a manifest's Localhost profile): read once,
    /// at create, as kubelet does. SeccompProfileNotFound or SeccompProfileInvalid when it cannot be used.
    /// </summary>
    public static string ReadFile(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PodEngineException(ErrorIds.SeccompProfileNotFound, ErrorCategory.ObjectNotFound, path,
                $"The seccomp profile '{path}' cannot be read: {e.Message}",
                "Pass -SeccompProfile RuntimeDefault, Unconfined, or the path of a profile file in the OCI/Docker JSON format.", e);
        }
        try { Parse(json); }
        catch (FormatException e)
        {
            throw new PodEngineException(ErrorIds.SeccompProfileInvalid, ErrorCategory.InvalidData, path,
                $"The seccomp profile '{path}' is not usable: {e.Message}",
                "Give a profile in the OCI/Docker format (defaultAction, architectures or archMap, syscalls with names and action).", e);
        }
        return json;
    }

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_TRAP", "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
    };

    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal)
    {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    };

    private void Check()
    {
        if (!Actions.Contains(DefaultAction)) throw new FormatException($"its defaultAction '{DefaultAction}' is not one of {string.Join(", ", Actions)}.");
        foreach (var call in Syscalls ?? new())
        {
            if (!Actions.Contains(call.Action)) throw new FormatException($"the action '{call.Action}' is not one of {string.Join(", ", Actions)}.");
            if ((call.Names is null || call.Names.Count == 0) && string.IsNullOrEmpty(call.Name)) throw new FormatException("a syscalls entry has no names.");
            foreach (var arg in call.Args ?? new())
            {
                if (arg.Index > 5) throw new FormatException($"an argument index is {arg.Index}: syscalls have arguments 0 to 5.");
                if (!Comparisons.Contains(arg.Op)) throw new FormatException($"the comparison '{arg.Op}' is not one of {string.Join(", ", Comparisons)}.");
            }
        }
    }

    /// <summary>
    /// The rules that apply to a container with these capabilities on this node, as Docker resolves includes and
    /// excludes (capabilities, architectures, minimum kernel); the native architecture's sub-architectures from archMap.
    /// </summary>
    public SeccompSpec Resolve(IReadOnlyCollection<string> capabilities, Architecture? architecture = null, Version? kernel = null)
    {
        var arch = architecture ?? RuntimeInformation.OSArchitecture;
        kernel ??= KernelVersion();
        string goArch = arch switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", Architecture.X86 => "386", Architecture.Arm => "arm", _ => arch.ToString().ToLowerInvariant() };
        string native = arch switch { Architecture.X64 => "SCMP_ARCH_X86_64", Architecture.Arm64 => "SCMP_ARCH_AARCH64", Architecture.X86 => "SCMP_ARCH_X86", Architecture.Arm => "SCMP_ARCH_ARM", _ => "" };
        var caps = new HashSet<string>(capabilities.Select(c => c.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? c.ToUpperInvariant() : "CAP_" + c.ToUpperInvariant()), StringComparer.Ordinal);

        var spec = new SeccompSpec { DefaultAction = DefaultAction, DefaultErrnoRet = DefaultErrnoRet };
        var arches = ArchMap?.FirstOrDefault(a => a.Architecture == native)?.SubArchitectures ?? Architectures?.Where(a => a != native).ToList() ?? new();
        spec.Architectures = arches.Distinct().ToList();
        foreach (var call in Syscalls ?? new())
        {
            if (!Applies(call.Includes, call.Excludes, caps, goArch, kernel)) continue;
            var names = call.Names is { Count: > 0 } n ? n.ToList() : new List<string> { call.Name! };
            spec.Syscalls.Add(new SeccompRule
            {
                Names = names,
                Action = call.Action,
                ErrnoRet = call.ErrnoRet,
                Args = (call.Args ?? new()).Select(a => new SeccompArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op }).ToList(),
            });
        }
        return spec;
    }

    private static bool Applies(SeccompFilter? includes, SeccompFilter? excludes, HashSet<string> caps, string arch, Version kernel)
    {
        if (includes is not null)
        {
            if (includes.Caps is { Count: > 0 } && !includes.Caps.All(caps.Contains)) return false;
            if (includes.Arches is { Count: > 0 } && !includes.Arches.Contains(arch)) return false;
            if (includes.MinKernel is { Length: > 0 } min && TryParseKernel(min) is { } wanted && kernel < wanted) return false;
        }
        if (excludes is not null)
        {
            if (excludes.Caps is { Count: > 0 } && excludes.Caps.Any(caps.Contains)) return false;
            if (excludes.Arches is { Count: > 0 } && excludes.Arches.Contains(arch)) return false;
            if (excludes.MinKernel is { Length: > 0 } min && TryParseKernel(min) is { } wanted && kernel >= wanted) return false;
        }
        return true;
    }

    private static Version KernelVersion()
    {
        try { return TryParseKernel(File.ReadAllText("/proc/sys/kernel/osrelease")) ?? new Version(0, 0); }
        catch (IOException) { return new Version(0, 0); }
    }

    private static Version? TryParseKernel(string text)
    {
        var parts = text.Trim().Split('.', '-');
        return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor) ? new Version(major, minor) : null;
    }
}

public sealed class SeccompArchitecture
{
    public string Architecture { get; set; } = "";
    public List<string>? SubArchitectures { get; set; }
}

public sealed class SeccompSyscall
{
    public List<string>? Names { get; set; }
    /// <summary>The older format: one name per entry.</summary>
    public string? Name { get; set; }
    public string Action { get; set; } = "";
    public int? ErrnoRet { get; set; }
    public List<SeccompSyscallArg>? Args { get; set; }
    public SeccompFilter? Includes { get; set; }
    public SeccompFilter? Excludes { get; set; }
    public string? Comment { get; set; }
}

public sealed class SeccompSyscallArg
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    public string Op { get; set; } = "";
}

public sealed class SeccompFilter
{
    public List<string>? Caps { get; set; }
    public List<string>? Arches { get; set; }
    public string? MinKernel { get; set; }
}
