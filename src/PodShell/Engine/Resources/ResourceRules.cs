using System;
using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Cgroups;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// Kubernetes' rules for requests and limits, for every engine: validation, the asserted QoS class, how a
/// Set-PodCgroupLimit update merges into what was there, and which raw cgroup values a container may carry.
/// </summary>
public static class ResourceRules
{
    /// <summary>Kubernetes' validation: no negative values, and a request never above its limit.</summary>
    public static void Validate(ResourceRequirements r, string target)
    {
        void Check(string what, long? request, long? limit, Func<long, string> format)
        {
            if (request is < 0 || limit is < 0)
            {
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target, $"The {what} of '{target}' cannot be negative.");
            }
            if (request is { } q && limit is { } l && q > l)
            {
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target,
                    $"The {what} request of '{target}' ({format(q)}) is above its limit ({format(l)}); Kubernetes requires request <= limit.",
                    $"Lower the {what} request or raise the limit.");
            }
        }
        Check("cpu", r.CpuRequestMilli, r.CpuLimitMilli, KubeQuantity.FormatCpu);
        Check("memory", r.MemoryRequest, r.MemoryLimit, KubeQuantity.FormatBytes);
        if (r.PidsLimit is < -1 or 0)
        {
            throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target,
                $"The pids limit of '{target}' must be at least 1.", "Give a number of processes, such as 100.");
        }
    }

    /// <summary>Refuses a class other than the one New-PodSandbox -QosClass asserted.</summary>
    public static void CheckAssertedClass(string pod, QosClass? asserted, QosClass computed, string container)
    {
        if (asserted is null || asserted == computed) return;
        throw new PodEngineException(ErrorIds.QosClassMismatch, ErrorCategory.InvalidArgument, $"{pod}/{container}",
            $"Pod '{pod}' was made with -QosClass {asserted}, but with container '{container}' its containers' requests and limits make it {computed}.",
            asserted == QosClass.Guaranteed
                ? "Give the container equal cpu and memory requests and limits (-Cpu and -Memory), or make the pod without -QosClass."
                : asserted == QosClass.BestEffort ? "Leave out requests and limits, or make the pod without -QosClass." : "Adjust the container's requests and limits, or make the pod without -QosClass.");
    }

    /// <summary>A requested value replaces the old one; a limit given alone moves a request that equalled the old limit with it (so the class holds).</summary>
    public static ResourceRequirements Merge(ResourceRequirements before, ResourceUpdate update)
    {
        var after = before.Clone();
        if (update.CpuLimitMilli is { } cpu)
        {
            if (update.CpuRequestMilli is null && before.CpuRequestMilli == before.CpuLimitMilli) after.CpuRequestMilli = cpu;
            after.CpuLimitMilli = cpu;
        }
        if (update.MemoryLimit is { } memory)
        {
            if (update.MemoryRequest is null && before.MemoryRequest == before.MemoryLimit) after.MemoryRequest = memory;
            after.MemoryLimit = memory;
        }
        if (update.CpuRequestMilli is { } cpuRequest) after.CpuRequestMilli = cpuRequest;
        if (update.MemoryRequest is { } memoryRequest) after.MemoryRequest = memoryRequest;
        if (update.PidsLimit is { } pids) after.PidsLimit = pids < 0 ? null : pids;
        return after;
    }

    /// <summary>Whether the update sets raw cgroup values (-CpuShares, -CpuWeight, -Unified), which only a container carries.</summary>
    public static bool SetsRawValues(ResourceUpdate update) =>
        update.CpuShares is not null || update.CpuWeight is not null || update.Unified is { Count: > 0 };

    /// <summary>The container's raw values with the update's added, each checked against the kernel's ranges.</summary>
    /// <param name="cpuOnV2">The node's cpu controller is on cgroup v2 (cpu.weight exists only there).</param>
    public static RawCgroupValues MergeRaw(RawCgroupValues? current, ResourceUpdate update, string target, bool cpuOnV2)
    {
        var raw = current ?? new RawCgroupValues();
        if (update.CpuShares is { } shares)
        {
            if (shares is < KubeQuantity.MinShares or > KubeQuantity.MaxShares)
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target, $"cpu.shares must be between 2 and 262144, not {shares}.");
            raw.CpuShares = shares;
        }
        if (update.CpuWeight is { } weight)
        {
            if (weight is < 1 or > 10000)
                throw new PodEngineException(ErrorIds.InvalidResources, ErrorCategory.InvalidArgument, target, $"cpu.weight must be between 1 and 10000, not {weight}.");
            if (!cpuOnV2)
                throw new PodEngineException(ErrorIds.ResourceNotSupported, ErrorCategory.InvalidArgument, target,
                    "cpu.weight is a cgroup v2 file, and this node's cpu controller is on cgroup v1.", "Use -CpuShares (2..262144) instead.");
            raw.CpuWeight = weight;
        }
        foreach (var (file, value) in update.Unified ?? new Dictionary<string, string>())
        {
            if (file.Contains('/') || file.StartsWith("cgroup.", StringComparison.Ordinal) || !file.Contains('.'))
                throw new PodEngineException(ErrorIds.InvalidUnifiedFile, ErrorCategory.InvalidArgument, file,
                    $"'{file}' is not a controller file PodShell can set (cgroup.* files and paths are not allowed).", "Name a file such as memory.high or cpu.max.");
            raw.Unified[file] = value;
        }
        return raw;
    }
}
