using System;
using System.Management.Automation;
using PodShell.Model;
using PodShell.Namespaces;

namespace PodShell.Cmdlets;

/// <summary>Gets the namespaces of processes (by inode), or every namespace on the node like lsns.</summary>
[Cmdlet(VerbsCommon.Get, "PodNamespace", DefaultParameterSetName = ProcessSet)]
[OutputType(typeof(ProcessNamespace), ParameterSetName = new[] { ProcessSet })]
[OutputType(typeof(NamespaceSummary), ParameterSetName = new[] { AllSet })]
public sealed class GetPodNamespaceCommand : PodCmdletBase
{
    private const string ProcessSet = "Process";
    private const string AllSet = "All";

    private NodeNamespaces? _node;

    [Parameter(ParameterSetName = ProcessSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ProcessId")]
    [ValidateNotNullOrEmpty]
    public int[]? Id { get; set; }

    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

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
        foreach (int pid in Id ?? new[] { Environment.ProcessId })
        {
            WriteProcess(pid);
        }
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
            WriteNonTerminating("ProcessNotFound", ErrorCategory.ObjectNotFound, pid, e.Message,
                "Check the process id with Get-Process -Id; the process may have exited.", e);
        }
        catch (NamespaceAccessDeniedException e)
        {
            WriteNonTerminating("NamespaceAccessDenied", ErrorCategory.PermissionDenied, pid, e.Message,
                "Run as root, or as the user that owns the process; reading another process's namespaces needs ptrace read access to it.", e);
        }
        catch (System.IO.IOException e)
        {
            WriteNonTerminating("NamespaceReadFailed", ErrorCategory.ReadError, pid, e.Message, null, e);
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
            ThrowTerminating("ProcFsUnavailable", ErrorCategory.ResourceUnavailable, "/proc", e.Message,
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

    private static bool IsRoot() => LibC.geteuid() == 0;
}
