using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Protocol;
using PodShell.Security;
using PodShell.State;

namespace PodShell.Native;

/// <summary>A container's privileges: capabilities, no_new_privs, masked paths and its seccomp profile, default or privileged.</summary>
internal static class ContainerSecurity
{
    public const string RuntimeDefault = "RuntimeDefault";
    public const string Unconfined = "Unconfined";
    public const string Localhost = "Localhost";

    /// <summary>Checks -SeccompProfile at create and records it (a file is read once, now, as kubelet does).</summary>
    public static void Record(ContainerCreateRequest request, ContainerRecord record)
    {
        record.Privileged = request.Privileged;
        string? asked = request.SeccompProfile;
        if (string.IsNullOrEmpty(asked))
        {
            record.SeccompProfile = request.Privileged ? Unconfined : RuntimeDefault;
            return;
        }
        if (string.Equals(asked, RuntimeDefault, StringComparison.OrdinalIgnoreCase) || string.Equals(asked, "runtime/default", StringComparison.OrdinalIgnoreCase))
        {
            record.SeccompProfile = RuntimeDefault;
            return;
        }
        if (string.Equals(asked, Unconfined, StringComparison.OrdinalIgnoreCase))
        {
            record.SeccompProfile = Unconfined;
            return;
        }
        string json;
        try { json = File.ReadAllText(asked); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PodEngineException(ErrorIds.SeccompProfileNotFound, ErrorCategory.ObjectNotFound, asked,
                $"The seccomp profile '{asked}' cannot be read: {e.Message}",
                "Pass -SeccompProfile RuntimeDefault, Unconfined, or the path of a profile file in the OCI/Docker JSON format.", e);
        }
        try { SeccompProfile.Parse(json); }
        catch (FormatException e)
        {
            throw new PodEngineException(ErrorIds.SeccompProfileInvalid, ErrorCategory.InvalidData, asked,
                $"The seccomp profile '{asked}' is not usable: {e.Message}",
                "Give a profile in the OCI/Docker format (defaultAction, architectures or archMap, syscalls with names and action).", e);
        }
        record.SeccompProfile = Localhost;
        record.SeccompProfileJson = json;
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

    public static IReadOnlyList<string> Capabilities(ContainerRecord record) =>
        record.Privileged ? ContainerDefaults.AllCapabilities : ContainerDefaults.Capabilities;

    /// <summary>The filter podshell-init loads, resolved for the container's capabilities; null when unconfined.</summary>
    public static SeccompSpec? Seccomp(ContainerRecord record)
    {
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
