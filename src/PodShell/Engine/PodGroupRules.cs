using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PodShell.Engine;

/// <summary>
/// A pod's supplementalGroups and fsGroup (Kubernetes' pod securityContext): every process of every container gets them
/// as supplementary groups, and the pod's own volumes (emptyDirs) are group-owned by the fsGroup, as kubelet does.
/// </summary>
public static class PodGroupRules
{
    /// <summary>Kubernetes' IsValidGroupID: 0 to 2147483647.</summary>
    public const long MaxGroupId = int.MaxValue;

    public static readonly IReadOnlyList<string> ChangePolicies = new[] { "Always", "OnRootMismatch" };
    public static readonly IReadOnlyList<string> GroupsPolicies = new[] { "Merge", "Strict" };

    public static void ValidateGroupsPolicy(string? policy, string pod)
    {
        if (policy is not null && !GroupsPolicies.Contains(policy, StringComparer.Ordinal))
        {
            throw new PodEngineException(ErrorIds.InvalidGroup, ErrorCategory.InvalidArgument, policy,
                $"Pod '{pod}': supplementalGroupsPolicy '{policy}' is not known.", "Use Merge (the default) or Strict.");
        }
    }

    public static void Validate(IReadOnlyList<long> supplementalGroups, long? fsGroup, string? changePolicy, string pod)
    {
        foreach (var gid in supplementalGroups) Check(gid, "supplemental group", pod);
        if (fsGroup is { } fs) Check(fs, "fsGroup", pod);
        if (changePolicy is not null && !ChangePolicies.Contains(changePolicy, StringComparer.Ordinal))
        {
            throw new PodEngineException(ErrorIds.InvalidGroup, ErrorCategory.InvalidArgument, changePolicy,
                $"Pod '{pod}': fsGroupChangePolicy '{changePolicy}' is not known.", "Use Always (the default) or OnRootMismatch.");
        }
        if (changePolicy is not null && fsGroup is null)
        {
            throw new PodEngineException(ErrorIds.InvalidGroup, ErrorCategory.InvalidArgument, changePolicy,
                $"Pod '{pod}': fsGroupChangePolicy says how volumes are given to an fsGroup, and the pod has none.", "Give an fsGroup too, or leave the policy out.");
        }
    }

    /// <summary>The groups every container's processes get besides their user's own: the supplemental groups, then the fsGroup.</summary>
    public static List<long> ForContainers(IEnumerable<long> supplementalGroups, long? fsGroup)
    {
        var groups = supplementalGroups.ToList();
        if (fsGroup is { } fs) groups.Add(fs);
        return groups.Distinct().ToList();
    }

    private static void Check(long gid, string what, string pod)
    {
        if (gid is < 0 or > MaxGroupId)
        {
            throw new PodEngineException(ErrorIds.InvalidGroup, ErrorCategory.InvalidArgument, gid,
                $"Pod '{pod}': {gid} is not a valid {what}: a group id is 0 to {MaxGroupId}.", "Give a numeric gid in that range.");
        }
    }
}
