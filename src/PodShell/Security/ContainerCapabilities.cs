using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Protocol;

namespace PodShell.Security;

/// <summary>
/// A container's capability set from the runtime default and Kubernetes' capabilities.add/drop, as containerd's CRI
/// plugin computes it (the same on both engines): ALL in add gives every capability, then ALL in drop removes every
/// one, then the named ones are added, then the named ones dropped (a capability both added and dropped is dropped).
/// Names are Kubernetes' (NET_ADMIN); CAP_NET_ADMIN and any letter case are accepted.
/// </summary>
public static class ContainerCapabilities
{
    public const string All = "ALL";

    /// <summary>containerd's and Docker's default set (oci.WithDefaultSpec, moby's caps.DefaultCapabilities).</summary>
    public static readonly IReadOnlyList<string> Default = new[]
    {
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
        "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    };

    /// <summary>Every capability Linux has, in bit order.</summary>
    public static IReadOnlyList<string> Known => CapabilityNames.ByBit;

    /// <summary>NET_ADMIN for net_admin or CAP_NET_ADMIN, ALL for all; an UnknownCapability error for anything else.</summary>
    public static string Normalize(string name)
    {
        string trimmed = (name ?? "").Trim();
        if (string.Equals(trimmed, All, StringComparison.OrdinalIgnoreCase)) return All;
        int bit = CapabilityNames.Bit(trimmed);
        if (bit < 0)
        {
            throw new PodEngineException(ErrorIds.UnknownCapability, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a Linux capability.",
                $"Use ALL or one of: {string.Join(", ", Known)} (the CAP_ prefix may be left out).");
        }
        return CapabilityNames.ByBit[bit];
    }

    /// <summary>The names normalized, each once, in the order given.</summary>
    public static List<string> NormalizeAll(IEnumerable<string>? names) =>
        (names ?? Array.Empty<string>()).Select(Normalize).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The container's bounding (and, for root, effective and permitted) set, in bit order, Kubernetes' spelling.</summary>
    public static List<string> Effective(bool privileged, IEnumerable<string>? add, IEnumerable<string>? drop)
    {
        if (privileged) return Known.ToList();
        var adds = NormalizeAll(add);
        var drops = NormalizeAll(drop);
        var caps = new HashSet<string>(Default, StringComparer.Ordinal);
        if (adds.Contains(All)) caps.UnionWith(Known);
        if (drops.Contains(All)) caps.Clear();
        caps.UnionWith(adds.Where(c => c != All));
        caps.ExceptWith(drops);
        return Known.Where(caps.Contains).ToList();
    }

    /// <summary>
    /// Kubernetes' validation of a container's securityContext: no_new_privs cannot hold for a privileged container
    /// nor for one given CAP_SYS_ADMIN (both can gain any privilege anyway). Also checks every capability name.
    /// </summary>
    public static void Validate(ContainerCreateRequest request)
    {
        var adds = NormalizeAll(request.AddCapabilities);
        NormalizeAll(request.DropCapabilities);
        if (request.AllowPrivilegeEscalation != false) return;
        if (request.Privileged)
        {
            throw new PodEngineException(ErrorIds.InvalidSecurityContext, ErrorCategory.InvalidArgument, request.Name,
                $"Container '{request.Name}' cannot be privileged and have no_new_privs (allowPrivilegeEscalation: false) at once: Kubernetes refuses that pair.",
                "Leave out -Privileged or -NoNewPrivileges.");
        }
        if (adds.Contains("SYS_ADMIN"))
        {
            throw new PodEngineException(ErrorIds.InvalidSecurityContext, ErrorCategory.InvalidArgument, request.Name,
                $"Container '{request.Name}' cannot be given CAP_SYS_ADMIN and have no_new_privs (allowPrivilegeEscalation: false) at once: Kubernetes refuses that pair.",
                "Leave out SYS_ADMIN from the added capabilities, or -NoNewPrivileges.");
        }
    }
}
