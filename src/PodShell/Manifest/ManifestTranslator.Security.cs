using System;
using System.IO;
using System.Linq;
using PodShell.Engine;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;
using PodShell.Security;

namespace PodShell.Manifest;

/// <summary>A container's securityContext (privileged, capabilities, allowPrivilegeEscalation, readOnlyRootFilesystem, seccompProfile).</summary>
public sealed partial class ManifestTranslator
{
    /// <summary>Where kubelet looks for Localhost seccomp profiles (its --seccomp-profile-root, since 1.19 fixed here).</summary>
    public const string KubeletSeccompRoot = "/var/lib/kubelet/seccomp";

    private string _seccompRoot = KubeletSeccompRoot;
    /// <summary>The pod-level seccompProfile as a request's SeccompProfile; null when the pod sets none.</summary>
    private string? _podSeccomp;

    private void PodSeccomp(PodSecurityContext? pod)
    {
        if (pod?.SeccompProfile is not { } profile) return;
        _podSeccomp = Seccomp(profile, "spec.securityContext.seccompProfile");
    }

    private void SecurityContext(ContainerSecurityContext? own, string path, ContainerCreateRequest request)
    {
        request.SeccompProfile = _podSeccomp;
        if (own is null) return;
        var at = path + ".securityContext";
        if (own.Privileged is { } privileged)
        {
            request.Privileged = privileged;
            _ledger.Applied(at + ".privileged");
        }
        if (own.AllowPrivilegeEscalation is { } escalation)
        {
            request.AllowPrivilegeEscalation = escalation;
            _ledger.Applied(at + ".allowPrivilegeEscalation");
        }
        if (own.ReadOnlyRootFilesystem is { } readOnly)
        {
            request.ReadOnlyRootFilesystem = readOnly;
            _ledger.Applied(at + ".readOnlyRootFilesystem");
        }
        if (own.Capabilities?.Add is { } add)
        {
            request.AddCapabilities = Capabilities(add, at + ".capabilities.add");
            _ledger.Applied(at + ".capabilities.add");
        }
        if (own.Capabilities?.Drop is { } drop)
        {
            request.DropCapabilities = Capabilities(drop, at + ".capabilities.drop");
            _ledger.Applied(at + ".capabilities.drop");
        }
        if (own.SeccompProfile is { } profile) request.SeccompProfile = Seccomp(profile, at + ".seccompProfile");
        if (own.ProcMount == "Default") _ledger.Applied(at + ".procMount");
        else _ledger.Unsupported(at + ".procMount", "PodShell always masks and write-protects /proc paths (Unmasked needs a user namespace)");
        _ledger.Unsupported(at + ".seLinuxOptions", "PodShell gives processes and files no SELinux labels");
        _ledger.Unsupported(at + ".appArmorProfile", "PodShell loads no AppArmor profiles");
        _ledger.Ignored(at + ".windowsOptions", "Windows nodes only");
        try { ContainerCapabilities.Validate(request); }
        catch (PodEngineException e) { throw Error(at + ".allowPrivilegeEscalation", e.Message); }
    }

    private System.Collections.Generic.List<string> Capabilities(System.Collections.Generic.List<string> names, string path)
    {
        for (var i = 0; i < names.Count; i++)
        {
            try { ContainerCapabilities.Normalize(names[i]); }
            catch (PodEngineException e) { throw Error($"{path}[{i}]", $"{e.Message} {e.RecommendedAction}"); }
        }
        return names.ToList();
    }

    /// <summary>RuntimeDefault, Unconfined, or the Localhost profile's file under the seccomp root (kubelet's rules).</summary>
    private string Seccomp(KubeSeccompProfile profile, string path)
    {
        string? resolved = profile.Type switch
        {
            PodContainerSecurity.RuntimeDefault => PodContainerSecurity.RuntimeDefault,
            PodContainerSecurity.Unconfined => PodContainerSecurity.Unconfined,
            PodContainerSecurity.Localhost => null,
            null => throw Error(path, "a seccompProfile needs its type: RuntimeDefault, Unconfined or Localhost."),
            _ => throw Error(path + ".type", $"'{profile.Type}' is not a seccomp profile type: use RuntimeDefault, Unconfined or Localhost."),
        };
        if (resolved is not null)
        {
            if (profile.LocalhostProfile is not null) throw Error(path + ".localhostProfile", $"localhostProfile is only for type Localhost, not {profile.Type}.");
        }
        else
        {
            var relative = profile.LocalhostProfile;
            if (string.IsNullOrEmpty(relative)) throw Error(path + ".localhostProfile", "type Localhost needs localhostProfile, a path relative to the node's seccomp profile root.");
            // Kubernetes' validation: a descending relative path, so it cannot leave the profile root.
            if (relative.StartsWith('/') || relative.Split('/').Contains("..")) throw Error(path + ".localhostProfile", $"'{relative}' must be a relative path without '..' (it is read under {_seccompRoot}).");
            resolved = Path.Combine(_seccompRoot, relative);
        }
        _ledger.Applied(path);
        return resolved;
    }
}
