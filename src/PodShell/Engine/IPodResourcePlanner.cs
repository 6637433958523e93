using System.Collections.Generic;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// An engine that writes cgroup files itself can say which files and values a resource change writes
/// (Set-PodCgroupLimit -WhatIf) and where each value of a pod came from (Get-PodCgroup -Explain).
/// </summary>
public interface IPodResourcePlanner
{
    /// <summary>The writes UpdateResources would make, in the order it would make them; nothing is changed.</summary>
    IReadOnlyList<CgroupSetting> PlanResourceUpdate(string pod, string? container, ResourceUpdate update);

    /// <summary>Every value of the pod's cgroups (or one container's), with its source quantity, formula and file.</summary>
    IReadOnlyList<CgroupSetting> ExplainResources(string pod, string? container);
}
