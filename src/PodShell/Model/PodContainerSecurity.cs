using System;
using System.Collections.Generic;

namespace PodShell.Model;

/// <summary>A container's effective security settings, as its engine applies them (Kubernetes' container securityContext).</summary>
public sealed class PodContainerSecurity
{
    public const string RuntimeDefault = "RuntimeDefault";
    public const string Unconfined = "Unconfined";
    public const string Localhost = "Localhost";

    public bool Privileged { get; set; }
    /// <summary>The capabilities the container's processes may hold (its bounding set), in bit order: NET_RAW, not CAP_NET_RAW.</summary>
    public string[] Capabilities { get; set; } = Array.Empty<string>();
    /// <summary>capabilities.add as asked (ALL or names).</summary>
    public string[] AddCapabilities { get; set; } = Array.Empty<string>();
    /// <summary>capabilities.drop as asked (ALL or names).</summary>
    public string[] DropCapabilities { get; set; } = Array.Empty<string>();
    /// <summary>False when no_new_privs is set (-NoNewPrivileges, allowPrivilegeEscalation: false).</summary>
    public bool AllowPrivilegeEscalation { get; set; } = true;
    public bool NoNewPrivileges => !AllowPrivilegeEscalation;
    public bool ReadOnlyRootFilesystem { get; set; }
    /// <summary>The container was made with runAsNonRoot (its user was checked to be a uid other than 0).</summary>
    public bool RunAsNonRoot { get; set; }
    /// <summary>RuntimeDefault, Unconfined or Localhost.</summary>
    public string SeccompProfile { get; set; } = RuntimeDefault;
    /// <summary>For Localhost: the profile file it was read from.</summary>
    public string? SeccompProfilePath { get; set; }

    /// <summary>As `docker inspect` users read it: privileged, or the capability changes, no_new_privs, read-only root and seccomp.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Privileged) parts.Add("privileged");
        else
        {
            if (AddCapabilities.Length > 0) parts.Add("+" + string.Join(",+", AddCapabilities));
            if (DropCapabilities.Length > 0) parts.Add("-" + string.Join(",-", DropCapabilities));
        }
        if (NoNewPrivileges) parts.Add("no-new-privileges");
        if (ReadOnlyRootFilesystem) parts.Add("read-only-root");
        if (RunAsNonRoot) parts.Add("run-as-non-root");
        parts.Add("seccomp=" + SeccompProfile);
        return string.Join(" ", parts);
    }
}
