using System.Collections;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// An assertion, not a choice: the class is computed from the containers' requests and limits as Kubernetes
    /// does; with -QosClass, containers that would make the pod another class are refused.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public QosClass? QosClass { get; set; }

    /// <summary>Pod-level cpu limit (Kubernetes' spec.resources.limits.cpu): the pod cgroup's CFS quota.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CpuLimit { get; set; }

    /// <summary>Pod-level memory limit (spec.resources.limits.memory): the pod cgroup's memory limit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MemoryLimit { get; set; }

    /// <summary>Pod-level cpu request (spec.resources.requests.cpu): the pod cgroup's shares; the limit when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CpuRequest { get; set; }

    /// <summary>Pod-level memory request (spec.resources.requests.memory); the limit when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MemoryRequest { get; set; }

    /// <summary>The most processes the whole pod may have (the pod cgroup's pids.max, like kubelet's --pod-max-pids).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long? PidsLimit { get; set; }

    /// <summary>The backend; by default $env:PODSHELL_ENGINE, else Native ($PSDefaultParameterValues works too).</summary>
    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    private static bool s_warnedUts;

    /// <summary>The network to join: a network's name (Get-PodNetwork), None (only lo) or Host (as -HostNetwork). By default the default network.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <summary>Host ports forwarded to the pod, as [hostIP:]hostPort:containerPort[/tcp|udp|sctp] (Kubernetes' hostPort).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [PortMappingTransformation]
    [Alias("Ports")]
    public PodPortMapping[]? Port { get; set; }

    /// <summary>Name servers added to the pod's resolv.conf (which comes from the network's DNS, else the node's).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Dns { get; set; }

    /// <summary>Search domains added to the pod's resolv.conf.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? DnsSearch { get; set; }

    /// <summary>resolv.conf options (ndots:2, edns0...), replacing options of the same name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? DnsOption { get; set; }

    /// <summary>Kubernetes' subdomain: the pod's FQDN becomes &lt;hostname&gt;.&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster domain&gt; in its /etc/hosts.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Subdomain { get; set; }

    /// <summary>The FQDN becomes the pod's hostname too (Kubernetes' setHostnameAsFQDN); needs -Subdomain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter SetHostnameAsFqdn { get; set; }

    /// <summary>Extra /etc/hosts entries (Kubernetes' hostAliases): @{ '10.1.2.3' = 'foo.local', 'bar.local' }.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("HostAliases")]
    public IDictionary? HostAlias { get; set; }

    /// <summary>Groups every process of every container gets (Kubernetes' securityContext.supplementalGroups).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SupplementalGroups")]
    public long[]? SupplementalGroup { get; set; }

    /// <summary>Merge (the default) or Strict: with Strict, containers' processes do not get the groups the image's /etc/group lists for their user.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Merge", "Strict")]
    public string? SupplementalGroupsPolicy { get; set; }

    /// <summary>The group that owns the pod's emptyDirs (setgid) and that every container's processes get (Kubernetes' fsGroup).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long? FsGroup { get; set; }

    /// <summary>Always (the default) or OnRootMismatch (Kubernetes' fsGroupChangePolicy).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Always", "OnRootMismatch")]
    public string? FsGroupChangePolicy { get; set; }

    /// <summary>Sysctls of the pod's own namespaces, set before any container starts: @{ 'net.ipv4.ip_unprivileged_port_start' = '0' }.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Sysctls")]
    public IDictionary? Sysctl { get; set; }

    /// <summary>The CNI config folder the network is found in (default /etc/cni/net.d, or PODSHELL_CNI_CONFIG_DIR).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? CniConfigDirectory { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create pod sandbox")) return;
        ResourceRequirements? resources = null;
        if (CpuLimit is not null || MemoryLimit is not null || CpuRequest is not null || MemoryRequest is not null || PidsLimit is not null)
        {
            try
            {
                resources = new ResourceRequirements
                {
                    CpuLimitMilli = QuantityArguments.Cpu(CpuLimit),
                    MemoryLimit = QuantityArguments.Memory(MemoryLimit),
                    CpuRequestMilli = QuantityArguments.Cpu(CpuRequest),
                    MemoryRequest = QuantityArguments.Memory(MemoryRequest),
                    PidsLimit = PidsLimit,
                };
            }
            catch (System.FormatException e)
            {
                WriteError(MakeError(ErrorIds.InvalidQuantity, ErrorCategory.InvalidArgument, CpuLimit ?? MemoryLimit ?? CpuRequest ?? MemoryRequest, e.Message, QuantityArguments.Advice, e));
                return;
            }
        }
        RunItem(() =>
        {
            var engine = MyInvocation.BoundParameters.ContainsKey(nameof(Engine)) ? Engine : EngineDefaults.FromEnvironment();
            if (engine == PodEngineKind.Docker && !HostNetwork && !s_warnedUts)
            {
                s_warnedUts = true;
                WriteWarning("Docker cannot share a UTS namespace between containers: each container of a Docker pod gets its own, " +
                    "set to the pod's hostname (Get-PodNamespace shows uts with Scope Container; Pod.Namespaces says uts=Container).");
            }
            var labels = HashtableArguments.ToStrings(Label);
            var request = new PodCreateRequest
            {
                Name = Name,
                Hostname = Hostname,
                ShareProcessNamespace = ShareProcessNamespace,
                HostNetwork = HostNetwork,
                HostPid = HostPID,
                HostIpc = HostIPC,
                QosClass = QosClass,
                Resources = resources,
                Labels = labels,
                Network = Network,
                NetworkConfigDirectory = CniConfigDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(CniConfigDirectory),
                Ports = new List<PodPortMapping>(Port ?? System.Array.Empty<PodPortMapping>()),
                Dns = Dns is null && DnsSearch is null && DnsOption is null ? null : new PodDnsConfig
                {
                    Nameservers = Dns ?? System.Array.Empty<string>(),
                    Searches = DnsSearch ?? System.Array.Empty<string>(),
                    Options = DnsOption ?? System.Array.Empty<string>(),
                },
                Notice = WriteVerbose,
                Subdomain = Subdomain,
                SetHostnameAsFqdn = SetHostnameAsFqdn,
                HostAliases = HostAliases(),
                SupplementalGroups = new List<long>(SupplementalGroup ?? System.Array.Empty<long>()),
                SupplementalGroupsPolicy = SupplementalGroupsPolicy,
                FsGroup = FsGroup,
                FsGroupChangePolicy = FsGroupChangePolicy,
                Sysctls = HashtableArguments.ToStrings(Sysctl),
            };
            // One name, one pod on this node: name lookups (Get-Pod foo, -Pod foo) must not be ambiguous across engines.
            if (EngineRegistry.All().FirstOrDefault(e => e.Kind != engine && e.HasPod(Name)) is { } other)
            {
                throw new PodEngineException(ErrorIds.PodAlreadyExists, ErrorCategory.ResourceExists, Name,
                    $"A pod named '{Name}' exists already, made by the {other.Kind} engine.",
                    $"Choose another name, or remove it first: Remove-Pod {Name} -Force.");
            }
            if (Network is null && !HostNetwork) AnnounceDefaultNetwork(engine, request.NetworkConfigDirectory);
            var pod = EngineFor(engine).CreatePod(request, Cancellation);
            WriteVerbose(VerboseText.Pod(pod, "Created"));
            WriteObject(pod);
        });
    }

    /// <summary>Each address with one name or a list of them.</summary>
    private List<PodHostAlias> HostAliases()
    {
        var result = new List<PodHostAlias>();
        if (HostAlias is null) return result;
        foreach (DictionaryEntry entry in HostAlias)
        {
            var names = LanguagePrimitives.ConvertTo<string[]>(entry.Value) ?? System.Array.Empty<string>();
            result.Add(new PodHostAlias { IP = entry.Key.ToString()!, Hostnames = names });
        }
        return result;
    }

    /// <summary>The default network is written on first use: say so, since it adds a file and (at the first pod) a bridge to the node.</summary>
    private void AnnounceDefaultNetwork(PodEngineKind engine, string? configDirectory)
    {
        if (NetworkRegistry.TryGet(engine) is not { } networks) return;
        var network = networks.EnsureDefaultNetwork(configDirectory, out var created);
        if (!created) return;
        var message = $"PodShell wrote its default pod network '{network.Name}' ({string.Join(", ", network.Subnets)}, bridge {network.Bridge}) to {network.ConfigPath}. " +
            "Pods join it unless -Network names another; Remove-PodNetwork removes it.";
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "PodShell" });
    }
}
