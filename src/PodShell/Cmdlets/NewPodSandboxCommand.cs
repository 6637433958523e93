using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Makes a pod's sandbox: the pause process holding the pod's shared namespaces, and its cgroup.</summary>
[Cmdlet(VerbsCommon.New, "PodSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Pod))]
public sealed class NewPodSandboxCommand : PodEngineCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The pod's hostname; by default its name, as Kubernetes does.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Hostname { get; set; }

    /// <summary>Containers share one pid namespace with the pause as PID 1 (Kubernetes' shareProcessNamespace).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter ShareProcessNamespace { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter HostNetwork { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter HostPID { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter HostIPC { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Labels")]
    public Hashtable? Label { get; set; }

    /// <summary>The pod's QoS class, which places its cgroup (kubelet derives it from the pod spec; here containers come later).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public QosClass QosClass { get; set; } = QosClass.Burstable;

    /// <summary>The backend; by default $env:PODSHELL_ENGINE, else Native ($PSDefaultParameterValues works too).</summary>
    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    private static bool s_warnedUts;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create pod sandbox")) return;
        RunItem(() =>
        {
            var engine = MyInvocation.BoundParameters.ContainsKey(nameof(Engine)) ? Engine : EngineDefaults.FromEnvironment();
            if (engine == PodEngineKind.Docker && !HostNetwork && !s_warnedUts)
            {
                s_warnedUts = true;
                WriteWarning("Docker cannot share a UTS namespace between containers: each container of a Docker pod gets its own, " +
                    "set to the pod's hostname (Get-PodNamespace shows uts with Scope Container; Pod.Namespaces says uts=Container).");
            }
            var labels = new Dictionary<string, string>();
            if (Label is not null)
            {
                foreach (DictionaryEntry entry in Label) labels[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
            }
            var request = new PodCreateRequest
            {
                Name = Name,
                Hostname = Hostname,
                ShareProcessNamespace = ShareProcessNamespace,
                HostNetwork = HostNetwork,
                HostPid = HostPID,
                HostIpc = HostIPC,
                QosClass = QosClass,
                Labels = labels,
            };
            var pod = EngineFor(engine).CreatePod(request, Cancellation);
            WriteVerbose(VerboseText.Pod(pod, "Created"));
            WriteObject(pod);
        });
    }
}
