using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Get-PodCgroup: a process's cgroups (per v1 controller and the v2 unified hierarchy), or one cgroup
/// and its subtree with processes, limits and usage.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PodCgroup", DefaultParameterSetName = ProcessSet)]
[OutputType(typeof(ProcessCgroup), ParameterSetName = new[] { ProcessSet })]
[OutputType(typeof(CgroupNode), ParameterSetName = new[] { PathSet, PodSet, ContainerSet })]
[OutputType(typeof(CgroupSetting), ParameterSetName = new[] { PodSet, ContainerSet })]
public sealed class GetPodCgroupCommand : PodCmdletBase
{
    private const string ProcessSet = "Process";
    private const string PathSet = "Path";
    private const string PodSet = "Pod";
    private const string ContainerSet = "Container";
    private static readonly string[] PodControllers = { "memory", "cpu", "pids" };

    private CgroupFileSystem? _fs;
    private bool _sawProcessInput;

    /// <summary>Process ids; the current process when omitted.</summary>
    [Parameter(ParameterSetName = ProcessSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ProcessId")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? Id { get; set; }

    /// <summary>A cgroup: "/memory/podshell/pod1" (one v1 hierarchy), "/podshell/pod1" (every hierarchy that has it; on v2 the unified one).</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "/";

    /// <summary>Also every cgroup below Path.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Pods (objects or names): each pod's cgroup tree (pod, pause and container leaves) with limits and usage.</summary>
    [Parameter(ParameterSetName = PodSet, Mandatory = true, ValueFromPipeline = true)]
    [PodTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public Pod[]? Pod { get; set; }

    /// <summary>Containers (from Get-PodContainer): each container's leaf cgroup.</summary>
    [Parameter(ParameterSetName = ContainerSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public PodContainer[]? Container { get; set; }

    /// <summary>
    /// Instead of the cgroups, each value PodShell sets for the pod or container: the file, the value, what the file
    /// holds now, the quantity it came from and kubelet's (or runc's) formula; oom_score_adj too.
    /// </summary>
    [Parameter(ParameterSetName = PodSet)]
    [Parameter(ParameterSetName = ContainerSet)]
    public SwitchParameter Explain { get; set; }

    /// <summary>Where the cgroup file systems are mounted (a fixture folder in tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CgroupRoot { get; set; } = CgroupFileSystem.DefaultRoot;

    protected override void BeginProcessing()
    {
        string root = GetUnresolvedProviderPathFromPSPath(CgroupRoot);
        if (!Directory.Exists(root))
        {
            ThrowTerminating(ErrorIds.CgroupRootNotFound, ErrorCategory.ObjectNotFound, CgroupRoot,
                $"The cgroup root '{root}' does not exist.",
                "Give -CgroupRoot the folder where cgroup file systems are mounted (usually /sys/fs/cgroup).");
        }
        try
        {
            _fs = CgroupFileSystem.Detect(root);
        }
        catch (PodShellException e)
        {
            ThrowTerminating(ErrorIds.CgroupFileSystemNotFound, ErrorCategory.ObjectNotFound, CgroupRoot, e.Message,
                "Point -CgroupRoot at a cgroup2 mount, a folder holding cgroup v1 mounts, or a fixture tree.", e);
        }
        WriteVerbose($"cgroups: {_fs}");
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            WritePath();
            return;
        }
        if (Pod is not null)
        {
            foreach (var pod in Pod)
            {
                if (Explain) WriteExplanation(pod.Name, null);
                else WriteEngineCgroup(pod.CgroupPath, pod.Name, recurse: true);
            }
            return;
        }
        if (Container is not null)
        {
            foreach (var container in Container)
            {
                if (Explain) WriteExplanation(container.PodName, container.Name);
                else WriteEngineCgroup(container.CgroupPath, container.ToString(), recurse: false);
            }
            return;
        }
        if (Id is null) return;
        _sawProcessInput = true;
        foreach (int pid in Id) WriteProcess(pid);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ProcessSet && !_sawProcessInput && !MyInvocation.ExpectingInput)
        {
            WriteProcess(Environment.ProcessId);
        }
    }

    private void WriteProcess(int pid)
    {
        IReadOnlyList<ProcessCgroup> cgroups;
        try
        {
            cgroups = CgroupInspector.ReadProcess(pid, _fs!);
        }
        catch (IOException e) when (!Directory.Exists($"/proc/{pid}"))
        {
            WriteNonTerminating(ErrorIds.ProcessNotFound, ErrorCategory.ObjectNotFound, pid,
                $"There is no process with id {pid}.", "Check the id with Get-Process; the process may have exited.", e);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            WriteNonTerminating(ErrorIds.ProcessCgroupAccessDenied, ErrorCategory.PermissionDenied, pid,
                $"Cannot read /proc/{pid}/cgroup: {e.Message}", "Run as root.", e);
            return;
        }
        foreach (ProcessCgroup cgroup in cgroups)
        {
            CgroupLimitReader.Fill(cgroup, _fs!);
            WriteObject(cgroup);
        }
    }

    private void WriteExplanation(string pod, string? container)
    {
        string target = container is null ? pod : $"{pod}/{container}";
        try
        {
            var engine = Engine.EngineRegistry.Owner(pod);
            if (engine is null)
            {
                WriteNonTerminating(ErrorIds.PodNotFound, ErrorCategory.ObjectNotFound, pod, $"No pod named '{pod}' exists.", "List the pods with Get-Pod.");
                return;
            }
            if (engine is not Engine.IPodResourcePlanner planner)
            {
                WriteNonTerminating(ErrorIds.ExplainNotSupported, ErrorCategory.NotImplemented, target,
                    $"The {engine.Kind} engine does not write cgroup files itself, so it cannot explain them.", "Use Get-PodCgroup without -Explain to see the values.");
                return;
            }
            foreach (var setting in planner.ExplainResources(pod, container)) WriteObject(setting);
        }
        catch (Engine.PodEngineException e)
        {
            WriteError(MakeError(e.ErrorId, e.Category, e.Target, e.Message, e.RecommendedAction, e));
        }
    }

    /// <summary>A cgroup PodShell made, in the hierarchies of the controllers it sets (memory, cpu, pids; or unified).</summary>
    private void WriteEngineCgroup(string path, string target, bool recurse)
    {
        var written = 0;
        foreach (var (hierarchy, rel) in CgroupInspector.Resolve(_fs!, path, out _))
        {
            if (hierarchy.Version == 1 && !PodControllers.Any(hierarchy.HasController)) continue;
            foreach (CgroupNode node in CgroupInspector.ReadTree(hierarchy, rel, recurse))
            {
                WriteObject(node);
                written++;
            }
        }
        if (written == 0)
        {
            WriteNonTerminating(ErrorIds.CgroupNotFound, ErrorCategory.ObjectNotFound, target,
                $"The cgroup '{path}' of '{target}' does not exist (any more).", "Check the pod with Get-Pod; Start-Pod makes a stopped pod's cgroups again.");
        }
    }

    private void WritePath()
    {
        var fs = _fs!;
        IReadOnlyList<(CgroupHierarchy Hierarchy, string RelativePath)> targets;
        try
        {
            targets = CgroupInspector.Resolve(fs, Path, out _);
        }
        catch (ArgumentException e)
        {
            ThrowTerminating(ErrorIds.InvalidCgroupPath, ErrorCategory.InvalidArgument, Path, e.Message, null, e);
            return;
        }

        int written = 0;
        foreach (var (hierarchy, rel) in targets)
        {
            foreach (CgroupNode node in CgroupInspector.ReadTree(hierarchy, rel, Recurse.IsPresent))
            {
                WriteObject(node);
                written++;
            }
        }
        if (written == 0)
        {
            string where = fs.Mode == CgroupMode.V2
                ? $"the unified hierarchy at {fs.Unified!.MountPoint}"
                : targets.Count == 1
                    ? $"the {targets[0].Hierarchy.Name} hierarchy at {targets[0].Hierarchy.MountPoint}"
                    : $"any hierarchy under {fs.Root} ({string.Join(", ", fs.Hierarchies.Select(h => System.IO.Path.GetFileName(h.MountPoint)))})";
            string hint = fs.Mode == CgroupMode.V2
                ? "Give the path relative to the unified root, for example '/podshell', or list the tree with Get-PodCgroup -Path / -Recurse."
                : "Give the path relative to the hierarchy roots ('/podshell/pod1'), optionally prefixed with a hierarchy ('/memory/podshell/pod1'); list a tree with Get-PodCgroup -Path /memory -Recurse, or find a process's cgroups with Get-PodCgroup -Id <pid>.";
            WriteNonTerminating(ErrorIds.CgroupNotFound, ErrorCategory.ObjectNotFound, Path,
                $"The cgroup '{Path}' does not exist in {where}.", hint);
        }
    }
}
