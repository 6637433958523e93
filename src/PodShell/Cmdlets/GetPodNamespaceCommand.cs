using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Linux;
using PodShell.Model;
using PodShell.Namespaces;

namespace PodShell.Cmdlets;

/// <summary>Gets the namespaces of processes (by inode), or every namespace on the node like lsns.</summary>
[Cmdlet(VerbsCommon.Get, "PodNamespace", DefaultParameterSetName = ProcessSet)]
[OutputType(typeof(ProcessNamespace), ParameterSetName = new[] { ProcessSet, PodSet, ContainerSet })]
[OutputType(typeof(NamespaceSummary), ParameterSetName = new[] { AllSet })]
public sealed class GetPodNamespaceCommand : PodCmdletBase
{
    private const string ProcessSet = "Process";
    private const string AllSet = "All";
    private const string PodSet = "Pod";
    private const string ContainerSet = "Container";

    private NodeNamespaces? _node;

    [Parameter(ParameterSetName = ProcessSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ProcessId")]
    [ValidateNotNullOrEmpty]
    public int[]? Id { get; set; }

    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    /// <summary>Pods (objects or names): the pause's and every running container's namespaces, each with its scope.</summary>
    [Parameter(ParameterSetName = PodSet, Mandatory = true, ValueFromPipeline = true)]
    [PodTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public Pod[]? Pod { get; set; }

    /// <summary>Containers (from Get-PodContainer): their namespaces, each with its scope in the pod.</summary>
    [Parameter(ParameterSetName = ContainerSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public PodContainer[]? Container { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public NamespaceType[]? Type { get; set; }

    protected override void BeginProcessing()
    {
        if (Type is null)
        {
            return;
        }
        foreach (NamespaceType type in Type)
        {
            if (!NamespaceReader.IsSupported(type))
            {
                WriteWarning($"This kernel has no {type.ToString().ToLowerInvariant()} namespaces; that type is left out.");
            }
        }
    }

    protected override void ProcessRecord()
    {
        if (All.IsPresent)
        {
            WriteAll();
            return;
        }
        _node ??= NodeNamespaces.Read();
        if (Pod is not null)
        {
            foreach (var pod in Pod) WritePod(pod, null);
            return;
        }
        if (Container is not null)
        {
            foreach (var group in Container.GroupBy(c => c.PodName))
            {
                var pod = EngineRegistry.Owner(group.Key)?.GetPod(group.Key);
                if (pod is null)
                {
                    WriteNonTerminating(ErrorIds.PodNotFound, ErrorCategory.ObjectNotFound, group.Key, $"No pod named '{group.Key}' exists.", "List the pods with Get-Pod.");
                    continue;
                }
                WritePod(pod, group.Select(c => c.Name).ToHashSet());
            }
            return;
        }
        foreach (int pid in Id ?? new[] { Environment.ProcessId })
        {
            WriteProcess(pid);
        }
    }

    /// <summary>
    /// One row per process and type for the pause and each running container. Scope says where the
    /// namespace lives: the node's own, the pod's (the pause's, shared), or the container's alone.
    /// </summary>
    private void WritePod(Pod pod, ISet<string>? containers)
    {
        if (pod.PausePid is not int pause)
        {
            WriteNonTerminating(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, pod.Name,
                $"Pod '{pod.Name}' has no running sandbox, so it holds no namespaces.", $"Start it with Start-Pod {pod.Name}.");
            return;
        }
        List<ProcessNamespace> pauseRows;
        try
        {
            pauseRows = NamespaceReader.ReadProcess(pause, Type, _node);
        }
        catch (Exception e) when (e is ProcessNotFoundException or NamespaceAccessDeniedException or System.IO.IOException)
        {
            WriteNonTerminating(ErrorIds.PodNotReady, ErrorCategory.InvalidOperation, pod.Name, $"The sandbox of pod '{pod.Name}' cannot be read: {e.Message}", null, e);
            return;
        }
        var podInodes = pauseRows.ToDictionary(r => r.Type, r => r.Inode);
        if (containers is null)
        {
            foreach (var row in pauseRows) WriteObject(Label(row, pod.Name, "pause", podInodes, isPause: true));
        }
        foreach (var container in pod.Containers)
        {
            if (containers is not null && !containers.Contains(container.Name)) continue;
            if (container.Pid is not int pid) continue;
            try
            {
                foreach (var row in NamespaceReader.ReadProcess(pid, Type, _node)) WriteObject(Label(row, pod.Name, container.Name, podInodes, isPause: false));
            }
            catch (ProcessNotFoundException)
            {
                // It exited between Get-Pod and now: it has no namespaces left to show.
            }
        }
    }

    private static ProcessNamespace Label(ProcessNamespace row, string pod, string container, IReadOnlyDictionary<NamespaceType, ulong> podInodes, bool isPause)
    {
        row.PodName = pod;
        row.ContainerName = container;
        row.Scope = row.IsNodeNamespace ? NamespaceScope.Node
            : isPause || (podInodes.TryGetValue(row.Type, out var inode) && inode == row.Inode) ? NamespaceScope.Pod
            : NamespaceScope.Container;
        return row;
    }

    private void WriteProcess(int pid)
    {
        try
        {
            foreach (ProcessNamespace item in NamespaceReader.ReadProcess(pid, Type, _node))
            {
                WriteObject(item);
            }
        }
        catch (ProcessNotFoundException e)
        {
            WriteNonTerminating(ErrorIds.ProcessNotFound, ErrorCategory.ObjectNotFound, pid, e.Message,
                "Check the process id with Get-Process -Id; the process may have exited.", e);
        }
        catch (NamespaceAccessDeniedException e)
        {
            WriteNonTerminating(ErrorIds.NamespaceAccessDenied, ErrorCategory.PermissionDenied, pid, e.Message,
                "Run as root, or as the user that owns the process; reading another process's namespaces needs ptrace read access to it.", e);
        }
        catch (System.IO.IOException e)
        {
            WriteNonTerminating(ErrorIds.NamespaceReadFailed, ErrorCategory.ReadError, pid, e.Message, null, e);
        }
    }

    private void WriteAll()
    {
        System.Collections.Generic.List<NamespaceSummary> summaries;
        int inaccessible;
        try
        {
            summaries = NamespaceReader.ReadAll(Type, out inaccessible);
        }
        catch (System.IO.IOException e)
        {
            ThrowTerminating(ErrorIds.ProcFsUnavailable, ErrorCategory.ResourceUnavailable, "/proc", e.Message,
                "Mount procfs on /proc (mount -t proc proc /proc).", e);
            return;
        }
        if (inaccessible > 0)
        {
            string message = $"{inaccessible} process(es) could not be read and are not counted (as lsns does).";
            if (IsRoot())
            {
                WriteVerbose(message);
            }
            else
            {
                WriteWarning(message + " Run as root to see every namespace on the node.");
            }
        }
        WriteObject(summaries, enumerateCollection: true);
    }

    private static bool IsRoot() => Libc.geteuid() == 0;
}
