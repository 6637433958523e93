using System.IO;
using System.Linq;
using PodShell.Manifest.Kubernetes;
using PodShell.Model;

namespace PodShell.Manifest;

/// <summary>
/// A container's securityContext as Kubernetes would be asked for it. The seccomp profile is written even when it is
/// RuntimeDefault, PodShell's default, because a cluster's default (without kubelet's SeccompDefault) is Unconfined.
/// </summary>
internal sealed class SecurityContextExport(string seccompRoot, System.Action<string>? warn)
{
    public ContainerSecurityContext? For(PodContainer c, long? uid, long? gid)
    {
        var s = c.Security;
        var context = new ContainerSecurityContext
        {
            RunAsUser = uid,
            RunAsGroup = gid,
            RunAsNonRoot = s.RunAsNonRoot ? true : null,
            Privileged = s.Privileged ? true : null,
            AllowPrivilegeEscalation = s.AllowPrivilegeEscalation ? null : false,
            ReadOnlyRootFilesystem = s.ReadOnlyRootFilesystem ? true : null,
            Capabilities = s.Privileged || (s.AddCapabilities.Length == 0 && s.DropCapabilities.Length == 0) ? null : new KubeCapabilities
            {
                Add = s.AddCapabilities.Length > 0 ? s.AddCapabilities.ToList() : null,
                Drop = s.DropCapabilities.Length > 0 ? s.DropCapabilities.ToList() : null,
            },
            SeccompProfile = s.Privileged ? null : Seccomp(c),
        };
        return context.RunAsUser is null && context.RunAsGroup is null && context.RunAsNonRoot is null && context.Privileged is null && context.AllowPrivilegeEscalation is null
            && context.ReadOnlyRootFilesystem is null && context.Capabilities is null && context.SeccompProfile is null ? null : context;
    }

    private KubeSeccompProfile Seccomp(PodContainer c)
    {
        var s = c.Security;
        if (s.SeccompProfile != PodContainerSecurity.Localhost) return new KubeSeccompProfile { Type = s.SeccompProfile };
        var file = s.SeccompProfilePath ?? "";
        var relative = Path.GetRelativePath(seccompRoot, file);
        if (file.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Contains(".."))
        {
            relative = Path.GetFileName(file);
            warn?.Invoke($"The seccomp profile of container '{c}' ({file}) lies outside the seccomp profile root {seccompRoot}: it is written as localhostProfile '{relative}', so copy the file to {Path.Combine(seccompRoot, relative)} on the node that runs the manifest.");
        }
        return new KubeSeccompProfile { Type = PodContainerSecurity.Localhost, LocalhostProfile = relative };
    }
}
