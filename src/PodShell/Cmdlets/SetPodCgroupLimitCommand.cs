using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Changes the requests, limits and raw cgroup values of a running (or stopped) container, or a pod's own
/// pod-level resources; the pod cgroup is recomputed, and every file is written all or nothing.
/// </summary>
[Cmdlet(VerbsCommon.Set, "PodCgroupLimit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ContainerSet)]
[OutputType(typeof(PodContainer), ParameterSetName = new[] { ContainerSet })]
[OutputType(typeof(PodContainer), typeof(Pod), ParameterSetName = new[] { PodSet })]
public sealed class SetPodCgroupLimitCommand : PodEngineCmdletBase
{
    private const string ContainerSet = "Container";
    private const string PodSet = "Pod";

    /// <summary>Containers from Get-PodContainer.</summary>
    [Parameter(ParameterSetName = ContainerSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public PodContainer[]? InputObject { get; set; }

    /// <summary>Pods (objects or names); with -Container one of their containers, else the pod's own pod-level resources.</summary>
    [Parameter(ParameterSetName = PodSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [PodTransformation]
    [ValidateNotNullOrEmpty]
    public Pod[]? Pod { get; set; }

    [Parameter(ParameterSetName = PodSet, Position = 1)]
    [Alias("Name", "ContainerName")]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>CPU limit (the CFS quota): cores (0.5) or a quantity (500m). A request that equalled the old limit follows it.</summary>
    [Parameter]
    [Alias("CpuLimit")]
    public string? Cpu { get; set; }

    /// <summary>Memory limit: 256MB or a quantity (256Mi). A request that equalled the old limit follows it.</summary>
    [Parameter]
    [Alias("MemoryLimit")]
    public string? Memory { get; set; }

    /// <summary>CPU request (cpu.shares, and the pod's shares).</summary>
    [Parameter]
    public string? CpuRequest { get; set; }

    /// <summary>Memory request (the Burstable oom_score_adj).</summary>
    [Parameter]
    public string? MemoryRequest { get; set; }

    /// <summary>pids.max; -1 removes the limit.</summary>
    [Parameter]
    [ValidateRange(-1, long.MaxValue)]
    public long? PidsLimit { get; set; }

    /// <summary>A raw cgroup v1 cpu.shares (2..262144) instead of the one from the cpu request.</summary>
    [Parameter]
    [ValidateRange(2, 262144)]
    public ulong? CpuShares { get; set; }

    /// <summary>A raw cgroup v2 cpu.weight (1..10000) instead of the one converted from shares.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public ulong? CpuWeight { get; set; }

    /// <summary>Raw cgroup v2 files: @{ 'memory.high' = '200Mi' } (memory.* values may be quantities).</summary>
    [Parameter]
    public Hashtable? Unified { get; set; }

    /// <summary>Allow a memory limit below the current usage (the kernel reclaims, refuses, or OOM-kills).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the container (or, for pod-level resources, the pod) after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private ResourceUpdate? _update;

    protected override void BeginProcessing()
    {
        try
        {
            _update = new ResourceUpdate
            {
                CpuLimitMilli = QuantityArguments.Cpu(Cpu),
                MemoryLimit = QuantityArguments.Memory(Memory),
                CpuRequestMilli = QuantityArguments.Cpu(CpuRequest),
                MemoryRequest = QuantityArguments.Memory(MemoryRequest),
                PidsLimit = PidsLimit,
                CpuShares = CpuShares,
                CpuWeight = CpuWeight,
                Unified = Unified is null ? null : UnifiedFiles(Unified),
                Force = Force,
            };
        }
        catch (FormatException e)
        {
            ThrowTerminating(ErrorIds.InvalidQuantity, ErrorCategory.InvalidArgument, Cpu ?? Memory ?? CpuRequest ?? MemoryRequest, e.Message, QuantityArguments.Advice, e);
        }
        var u = _update!;
        if (u.CpuLimitMilli is null && u.MemoryLimit is null && u.CpuRequestMilli is null && u.MemoryRequest is null && u.PidsLimit is null
            && u.CpuShares is null && u.CpuWeight is null && (u.Unified is null || u.Unified.Count == 0))
        {
            ThrowTerminating(ErrorIds.NoResourceGiven, ErrorCategory.InvalidArgument, null, "Nothing to change: no limit, request or raw value was given.",
                "Give at least one of -Cpu, -Memory, -CpuRequest, -MemoryRequest, -PidsLimit, -CpuShares, -CpuWeight or -Unified.");
        }
    }

    /// <summary>memory.* values given as quantities become bytes ("200Mi" -> "209715200"); others pass as given.</summary>
    private static Dictionary<string, string> UnifiedFiles(Hashtable table)
    {
        var files = HashtableArguments.ToStrings(table);
        foreach (var (file, value) in files)
        {
            if (file.StartsWith("memory.", StringComparison.Ordinal) && value != "max" && !value.Contains(' '))
            {
                files[file] = QuantityArguments.Memory(value)!.Value.ToString(CultureInfo.InvariantCulture);
            }
        }
        return files;
    }

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            foreach (var c in InputObject) Update(c.PodName, c.Name);
            return;
        }
        foreach (var pod in Pod ?? Array.Empty<Pod>()) Update(pod.Name, Container ?? "");
    }

    private void Update(string pod, string container)
    {
        var engine = FindEngine(pod);
        if (engine is null) return;
        string target = container.Length == 0 ? pod : $"{pod}/{container}";
        RunItem(() =>
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf") && engine is IPodResourcePlanner planner)
            {
                // Every file and value it would write, in order.
                var plan = planner.PlanResourceUpdate(pod, container.Length == 0 ? null : container, _update!);
                foreach (var s in plan) ShouldProcess(s.File, $"Write '{s.Value}' (now '{s.Current}'; {s.Quantity}: {s.Formula})");
                if (plan.Count == 0) ShouldProcess(target, "Set cgroup limits (every value is already in effect)");
                return;
            }
            if (!ShouldProcess(target, "Set cgroup limits")) return;
            var result = engine.UpdateResources(pod, container, _update!, Cancellation);
            if (!PassThru) return;
            if (container.Length == 0) WriteObject(engine.GetPod(pod));
            else WriteObject(result);
        });
    }
}
