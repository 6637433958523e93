using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Protocol;
using PodShell.Security;
using PodShell.State;

namespace PodShell.Native;

/// <summary>A container's privileges: capabilities, no_new_privs, masked paths and its seccomp profile, default or privileged.</summary>
internal static class ContainerSecurity
{
    public const string RuntimeDefault = PodContainerSecurity.RuntimeDefault;
    public const string Unconfined = PodContainerSecurity.Unconfined;
    public const string Localhost = PodContainerSecurity.Localhost;

    /// <summary>Checks -SeccompProfile at create and records it (a file is read once, now, as kubelet does).</summary>
    public static void Record(ContainerCreateRequest request, ContainerRecord record)
    {
        record.Privileged = request.Privileged;
        record.AddCapabilities = ContainerCapabilities.NormalizeAll(request.AddCapabilities);
        record.DropCapabilities = ContainerCapabilities.NormalizeAll(request.DropCapabilities);
        record.AllowPrivilegeEscalation = request.AllowPrivilegeEscalation;
        record.ReadOnlyRootFilesystem = request.ReadOnlyRootFilesystem;
        record.RunAsNonRoot = request.RunAsNonRoot;
        string? asked = request.SeccompProfile;
        record.SeccompProfile = string.IsNullOrEmpty(asked) && request.Privileged ? Unconfined : SeccompProfile.KindOf(asked);
        if (record.SeccompProfile != Localhost) return;
        record.SeccompProfileJson = SeccompProfile.ReadFile(asked!);
        record.SeccompProfilePath = Path.GetFullPath(asked!);
    }

    /// <summary>
    /// What a host-image container must not see of PodShell: this engine's state root and every other one on the node
    /// (/run/podshell*: other PODSHELL_ROOTs, other users' sessions), which hold specs, environments and logs.
    /// </summary>
    public static IEnumerable<string> StateRoots(string current)
    {
        var roots = new List<string> { current };
        try
        {
            roots.AddRange(Directory.EnumerateDirectories("/run", "podshell*"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return roots.Select(Path.TrimEndingDirectorySeparator).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The capabilities the container keeps, CAP_ names (what podshell-init's spec and the seccomp conditions use).</summary>
    public static IReadOnlyList<string> Capabilities(ContainerRecord record) =>
        ContainerCapabilities.Effective(record.Privileged, record.AddCapabilities, record.DropCapabilities).Select(c => "CAP_" + c).ToList();

    /// <summary>
    /// no_new_privs only when asked (allowPrivilegeEscalation: false), as kubelet and Docker do; never for a privileged
    /// container (validation refuses the pair).
    /// </summary>
    public static bool NoNewPrivileges(ContainerRecord record) => !record.Privileged && record.AllowPrivilegeEscalation == false;

    /// <summary>The container's security settings as Get-PodContainer shows them.</summary>
    public static PodContainerSecurity View(ContainerRecord record) => new()
    {
        Privileged = record.Privileged,
        Capabilities = ContainerCapabilities.Effective(record.Privileged, record.AddCapabilities, record.DropCapabilities).ToArray(),
        AddCapabilities = record.AddCapabilities?.ToArray() ?? Array.Empty<string>(),
        DropCapabilities = record.DropCapabilities?.ToArray() ?? Array.Empty<string>(),
        AllowPrivilegeEscalation = !NoNewPrivileges(record),
        ReadOnlyRootFilesystem = record.ReadOnlyRootFilesystem,
        RunAsNonRoot = record.RunAsNonRoot,
        SeccompProfile = record.Privileged ? Unconfined : record.SeccompProfile ?? RuntimeDefault,
        SeccompProfilePath = record.SeccompProfilePath,
    };

    /// <summary>The filter podshell-init loads, resolved for the container's capabilities; null when unconfined or privileged.</summary>
    public static SeccompSpec? Seccomp(ContainerRecord record)
    {
        // As containerd and Docker: a privileged container runs without a filter, whatever profile it names.
        if (record.Privileged) return null;
        // Records written before seccomp existed carry no profile: they get the default, like new ones.
        var profile = record.SeccompProfile switch
        {
            Unconfined => null,
            Localhost when record.SeccompProfileJson is { } json => SeccompProfile.Parse(json),
            _ => RuntimeDefaultSeccomp.Create(),
        };
        return profile?.Resolve(Capabilities(record).ToList());
    }
}
