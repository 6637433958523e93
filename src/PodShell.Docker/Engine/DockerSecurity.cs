using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Security;

namespace PodShell.Docker.Engine;

/// <summary>
/// A container's securityContext as Docker's HostConfig: Privileged, CapAdd/CapDrop, ReadonlyRootfs and SecurityOpt
/// (no-new-privileges, seccomp=unconfined or the profile's JSON). Capabilities are resolved with Kubernetes' rules
/// first and given to Docker as a difference from its default set (the same set as containerd's), because Docker's
/// own rules differ where a name is both added and dropped, or ALL is both.
/// </summary>
internal static class DockerSecurity
{
    private const string NoNewPrivileges = "no-new-privileges";
    private const string Seccomp = "seccomp";

    public static void Apply(ContainerCreateRequest request, HostConfig host, IDictionary<string, string> labels)
    {
        host.Privileged = request.Privileged;
        host.ReadonlyRootfs = request.ReadOnlyRootFilesystem;
        if (request.RunAsNonRoot) labels[DockerLabels.RunAsNonRoot] = "true";
        var adds = ContainerCapabilities.NormalizeAll(request.AddCapabilities);
        var drops = ContainerCapabilities.NormalizeAll(request.DropCapabilities);
        if (!request.Privileged && (adds.Count > 0 || drops.Count > 0))
        {
            var effective = ContainerCapabilities.Effective(false, adds, drops);
            if (drops.Contains(ContainerCapabilities.All))
            {
                host.CapDrop = new List<string> { ContainerCapabilities.All };
                host.CapAdd = effective.ToList();
            }
            else
            {
                host.CapAdd = effective.Except(ContainerCapabilities.Default).ToList();
                host.CapDrop = ContainerCapabilities.Default.Except(effective).ToList();
            }
            labels[DockerLabels.CapabilitiesAdd] = string.Join(",", adds);
            labels[DockerLabels.CapabilitiesDrop] = string.Join(",", drops);
        }
        var options = new List<string>();
        if (request.AllowPrivilegeEscalation == false) options.Add(NoNewPrivileges + ":true");
        string? profile = request.SeccompProfile;
        var kind = SeccompProfile.KindOf(profile);
        if (kind == PodContainerSecurity.Unconfined)
        {
            options.Add(Seccomp + "=unconfined");
        }
        else if (kind == PodContainerSecurity.Localhost)
        {
            // Docker takes the profile itself (the CLI reads the file the same way): read once, now, as kubelet does.
            options.Add(Seccomp + "=" + SeccompProfile.ReadFile(profile!));
            labels[DockerLabels.SeccompProfilePath] = Path.GetFullPath(profile!);
        }
        if (options.Count > 0) host.SecurityOpt = options;
    }

    /// <summary>What the daemon applies, read back from the container's HostConfig (and the names as asked, from PodShell's labels).</summary>
    public static PodContainerSecurity Read(HostConfig host, IDictionary<string, string> labels)
    {
        var options = host.SecurityOpt ?? new List<string>();
        string? seccomp = options.Select(o => Option(o, Seccomp)).LastOrDefault(v => v is not null);
        var nnp = options.Select(o => Option(o, NoNewPrivileges, bare: true)).LastOrDefault(v => v is not null);
        var adds = labels.TryGetValue(DockerLabels.CapabilitiesAdd, out var a) ? Split(a) : Known(host.CapAdd);
        var drops = labels.TryGetValue(DockerLabels.CapabilitiesDrop, out var d) ? Split(d) : Known(host.CapDrop);
        return new PodContainerSecurity
        {
            Privileged = host.Privileged,
            Capabilities = ContainerCapabilities.Effective(host.Privileged, Known(host.CapAdd), Known(host.CapDrop)).ToArray(),
            AddCapabilities = adds.ToArray(),
            DropCapabilities = drops.ToArray(),
            AllowPrivilegeEscalation = host.Privileged || nnp is null || nnp == "false",
            ReadOnlyRootFilesystem = host.ReadonlyRootfs,
            RunAsNonRoot = labels.TryGetValue(DockerLabels.RunAsNonRoot, out var nonRoot) && nonRoot == "true",
            SeccompProfile = host.Privileged || seccomp == "unconfined" ? PodContainerSecurity.Unconfined
                : seccomp is null or "builtin" ? PodContainerSecurity.RuntimeDefault : PodContainerSecurity.Localhost,
            SeccompProfilePath = labels.TryGetValue(DockerLabels.SeccompProfilePath, out var path) ? path : null,
        };
    }

    /// <summary>The value of `name=value` or `name:value` (Docker accepts both); "true" for a bare `name` when allowed.</summary>
    private static string? Option(string option, string name, bool bare = false)
    {
        if (bare && option == name) return "true";
        return option.Length > name.Length && option.StartsWith(name, StringComparison.Ordinal) && option[name.Length] is '=' or ':'
            ? option[(name.Length + 1)..] : null;
    }

    private static List<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>The names Linux knows, normalized; a name some other tool gave Docker that Linux lacks is left out.</summary>
    private static List<string> Known(IEnumerable<string>? names)
    {
        var known = new List<string>();
        foreach (var name in names ?? Enumerable.Empty<string>())
        {
            try { known.Add(ContainerCapabilities.Normalize(name)); }
            catch (PodEngineException) { }
        }
        return known;
    }
}
