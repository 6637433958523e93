using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PodShell.Engine;

/// <summary>
/// Which sysctls a pod may set, as Kubernetes decides it: only those of the pod's own namespaces. Kubernetes'
/// safe set, and the namespaced "unsafe" ones (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* of the ipc
/// namespace; net.* of the network namespace), each only when the pod has that namespace of its own. A node-wide
/// sysctl (kernel.panic, vm.*) would change the node for every pod, so it is refused. Checked before anything is made.
/// </summary>
public static class SysctlRules
{
    /// <summary>Kubernetes' safe sysctls (pkg/kubelet/sysctl/safe_sysctls.go), allowed on every cluster by default.</summary>
    public static readonly IReadOnlyList<string> Safe = new[]
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    /// <summary>The namespace a sysctl belongs to, or null for a node-wide one.</summary>
    public enum Scope { Network, Ipc }

    public const string Rule = "a pod sets only sysctls of its own namespaces: Kubernetes' safe set and the namespaced ones " +
        "(kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.* of the ipc namespace; net.* of the network namespace)";

    // Kubernetes' sysctl name pattern (SysctlContainSlashFmt): dot- or slash-separated segments.
    private static readonly Regex NamePattern = new(@"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// A name as Kubernetes canonicalises it: when its first separator is a slash (net/ipv4/conf/eth0.100/forwarding), slashes
    /// and dots swap, so the dotted form keeps a dot inside a segment as a slash (net.ipv4.conf.eth0/100.forwarding).
    /// </summary>
    public static string Canonical(string name)
    {
        var first = name.IndexOfAny(['.', '/']);
        return first < 0 || name[first] == '.' ? name : string.Concat(name.Select(c => c == '/' ? '.' : c == '.' ? '/' : c));
    }

    /// <summary>The file under /proc/sys of a canonical (dotted) name.</summary>
    public static string ProcPath(string canonical) =>
        "/proc/sys/" + string.Concat(canonical.Select(c => c == '.' ? '/' : c == '/' ? '.' : c));

    public static Scope? ScopeOf(string canonical)
    {
        if (canonical.StartsWith("net.", StringComparison.Ordinal)) return Scope.Network;
        if (canonical == "kernel.sem" || canonical.StartsWith("kernel.shm", StringComparison.Ordinal) ||
            canonical.StartsWith("kernel.msg", StringComparison.Ordinal) || canonical.StartsWith("fs.mqueue.", StringComparison.Ordinal))
        {
            return Scope.Ipc;
        }
        return null;
    }

    /// <summary>Checks every sysctl against the pod's namespaces and returns them under their canonical names.</summary>
    public static Dictionary<string, string> Validate(IReadOnlyDictionary<string, string> sysctls, bool ownNetwork, bool ownIpc, string pod)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in sysctls)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 253 || !NamePattern.IsMatch(name))
            {
                throw new PodEngineException(ErrorIds.InvalidSysctl, ErrorCategory.InvalidArgument, name,
                    $"'{name}' is not a sysctl name: lower-case segments separated by '.' (or '/'), such as net.ipv4.ip_unprivileged_port_start.",
                    "Give the name as sysctl -a prints it.");
            }
            if (value is null || value.Length == 0 || value.Length > 4096 || value.Any(c => c == '\n' || c == '\0' || char.IsControl(c) && c != '\t'))
            {
                throw new PodEngineException(ErrorIds.InvalidSysctl, ErrorCategory.InvalidArgument, name,
                    $"Sysctl '{name}' needs a value of one line (got '{value}').", "Give the value as sysctl -n prints it, for example '0' or '1024 65535'.");
            }
            var canonical = Canonical(name);
            switch (ScopeOf(canonical))
            {
                case null:
                    throw new PodEngineException(ErrorIds.SysctlNotAllowed, ErrorCategory.PermissionDenied, name,
                        $"Pod '{pod}' cannot set sysctl '{name}': it is not namespaced, so it would change the whole node. Rule: {Rule}.",
                        "Leave it out, or set it on the node itself (sysctl -w) if every pod may share it.");
                case Scope.Network when !ownNetwork:
                    throw new PodEngineException(ErrorIds.SysctlNotAllowed, ErrorCategory.PermissionDenied, name,
                        $"Pod '{pod}' cannot set sysctl '{name}': net.* sysctls belong to the pod's own network namespace, and this pod uses the node's (host network). Rule: {Rule}.",
                        "Leave out -HostNetwork (hostNetwork: true), or the sysctl.");
                case Scope.Ipc when !ownIpc:
                    throw new PodEngineException(ErrorIds.SysctlNotAllowed, ErrorCategory.PermissionDenied, name,
                        $"Pod '{pod}' cannot set sysctl '{name}': it belongs to the pod's own ipc namespace, and this pod uses the node's (host IPC). Rule: {Rule}.",
                        "Leave out -HostIPC (hostIPC: true), or the sysctl.");
            }
            if (!result.TryAdd(canonical, value))
            {
                throw new PodEngineException(ErrorIds.InvalidSysctl, ErrorCategory.InvalidArgument, name, $"Sysctl '{canonical}' is given twice.", "Give each sysctl once.");
            }
        }
        return result;
    }
}
