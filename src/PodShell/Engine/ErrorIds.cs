namespace PodShell.Engine;

/// <summary>
/// Every ErrorRecord id PodShell writes, in one place: scripts match on them (-ErrorId, $_.FullyQualifiedErrorId),
/// so they never change once shipped.
/// </summary>
public static class ErrorIds
{
    // Environment and engines
    public const string RootRequired = nameof(RootRequired);
    public const string EngineNotAvailable = nameof(EngineNotAvailable);
    public const string EngineFailed = nameof(EngineFailed);
    public const string InitBinaryMissing = nameof(InitBinaryMissing);
    public const string InitFailed = nameof(InitFailed);
    public const string InitTimeout = nameof(InitTimeout);
    public const string PodStateIOError = nameof(PodStateIOError);
    public const string PodStateUnreadable = nameof(PodStateUnreadable);
    public const string ProcFsUnavailable = nameof(ProcFsUnavailable);

    // Input
    public const string InvalidPodName = nameof(InvalidPodName);
    public const string InvalidContainerName = nameof(InvalidContainerName);
    public const string InvalidHostname = nameof(InvalidHostname);
    public const string InvalidQuantity = nameof(InvalidQuantity);
    public const string InvalidArgument = nameof(InvalidArgument);
    public const string InvalidPipelineInput = nameof(InvalidPipelineInput);
    public const string InvalidCgroupPath = nameof(InvalidCgroupPath);
    public const string ContainerNameReserved = nameof(ContainerNameReserved);
    public const string CommandRequired = nameof(CommandRequired);
    public const string CommandNotFound = nameof(CommandNotFound);
    public const string ImageNotFound = nameof(ImageNotFound);
    public const string InvalidVolume = nameof(InvalidVolume);
    public const string VolumeNotFound = nameof(VolumeNotFound);
    public const string HostPathTypeMismatch = nameof(HostPathTypeMismatch);
    public const string RootFsNotFound = nameof(RootFsNotFound);
    public const string QosClassMismatch = nameof(QosClassMismatch);
    public const string InvalidLabelKey = nameof(InvalidLabelKey);
    public const string InvalidLabelValue = nameof(InvalidLabelValue);
    public const string InvalidLabelSelector = nameof(InvalidLabelSelector);
    public const string PodNameRequired = nameof(PodNameRequired);
    public const string ContainerNameRequired = nameof(ContainerNameRequired);
    public const string InvalidRootFs = nameof(InvalidRootFs);
    public const string InvalidEnvironment = nameof(InvalidEnvironment);
    public const string InvalidWorkingDirectory = nameof(InvalidWorkingDirectory);
    public const string SeccompProfileNotFound = nameof(SeccompProfileNotFound);
    public const string SeccompProfileInvalid = nameof(SeccompProfileInvalid);
    public const string InvalidSysctl = nameof(InvalidSysctl);
    public const string SysctlNotAllowed = nameof(SysctlNotAllowed);
    public const string InvalidGroup = nameof(InvalidGroup);
    public const string InvalidHostAlias = nameof(InvalidHostAlias);
    public const string InvalidClusterDomain = nameof(InvalidClusterDomain);
    public const string UnknownCapability = nameof(UnknownCapability);
    public const string InvalidSecurityContext = nameof(InvalidSecurityContext);
    public const string RunAsNonRootViolated = nameof(RunAsNonRootViolated);

    // Pods and containers
    public const string PodNotFound = nameof(PodNotFound);
    public const string PodAlreadyExists = nameof(PodAlreadyExists);
    public const string PodNotReady = nameof(PodNotReady);
    public const string PodRunning = nameof(PodRunning);
    public const string PodPaused = nameof(PodPaused);
    public const string PodBusy = nameof(PodBusy);
    public const string FreezeFailed = nameof(FreezeFailed);
    public const string FreezeNotSupported = nameof(FreezeNotSupported);
    public const string SandboxFailed = nameof(SandboxFailed);
    public const string ContainerNotFound = nameof(ContainerNotFound);
    public const string ContainerAlreadyExists = nameof(ContainerAlreadyExists);
    public const string ContainerRunning = nameof(ContainerRunning);
    public const string ContainerNotRunning = nameof(ContainerNotRunning);
    public const string ContainerStartFailed = nameof(ContainerStartFailed);
    public const string ContainerExited = nameof(ContainerExited);
    public const string WaitTimeout = nameof(WaitTimeout);

    // Exec, logs, resources
    public const string NativeCommandError = nameof(NativeCommandError);
    public const string ExecFailed = nameof(ExecFailed);
    public const string TtyNotSupported = nameof(TtyNotSupported);
    public const string TerminalRequired = nameof(TerminalRequired);
    public const string InputNotAllowedWithInteractive = nameof(InputNotAllowedWithInteractive);
    public const string ProgramExitedWithNonZeroCode = nameof(ProgramExitedWithNonZeroCode);
    public const string PreviousLogNotAvailable = nameof(PreviousLogNotAvailable);
    public const string PathNotFound = nameof(PathNotFound);
    public const string InvalidCopyPath = nameof(InvalidCopyPath);
    public const string CopyFailed = nameof(CopyFailed);
    public const string ResourceNotSupported = nameof(ResourceNotSupported);
    public const string MemoryLimitBelowUsage = nameof(MemoryLimitBelowUsage);
    public const string InvalidResources = nameof(InvalidResources);
    public const string QosClassChange = nameof(QosClassChange);
    public const string CgroupWriteFailed = nameof(CgroupWriteFailed);
    public const string PodCgroupMoveFailed = nameof(PodCgroupMoveFailed);
    public const string InvalidUnifiedFile = nameof(InvalidUnifiedFile);
    public const string RawValueNeedsContainer = nameof(RawValueNeedsContainer);
    public const string NoResourceGiven = nameof(NoResourceGiven);
    public const string ExplainNotSupported = nameof(ExplainNotSupported);

    // Cgroups and namespaces (inspection)
    public const string CgroupFileSystemNotFound = nameof(CgroupFileSystemNotFound);
    public const string CgroupRootNotFound = nameof(CgroupRootNotFound);
    public const string CgroupNotFound = nameof(CgroupNotFound);
    public const string ProcessCgroupAccessDenied = nameof(ProcessCgroupAccessDenied);
    public const string ProcessNotFound = nameof(ProcessNotFound);
    public const string NamespaceAccessDenied = nameof(NamespaceAccessDenied);
    public const string NamespaceReadFailed = nameof(NamespaceReadFailed);

    // Docker engine
    public const string DockerUnavailable = nameof(DockerUnavailable);
    public const string DockerHostInvalid = nameof(DockerHostInvalid);
    public const string DockerApiTooOld = nameof(DockerApiTooOld);
    public const string DockerFailed = nameof(DockerFailed);
    public const string HostImageNotSupported = nameof(HostImageNotSupported);
    public const string PauseImageFailed = nameof(PauseImageFailed);
    public const string PauseBinaryMissing = nameof(PauseBinaryMissing);
    public const string InvalidEngine = nameof(InvalidEngine);

    // Pod networking (CNI)
    public const string CniConfigInvalid = nameof(CniConfigInvalid);
    public const string CniPluginNotFound = nameof(CniPluginNotFound);
    public const string NetworkNotFound = nameof(NetworkNotFound);
    public const string NetworkExists = nameof(NetworkExists);
    public const string NetworkInUse = nameof(NetworkInUse);
    public const string InvalidNetworkName = nameof(InvalidNetworkName);
    public const string InvalidBridgeName = nameof(InvalidBridgeName);
    public const string BridgeNameInUse = nameof(BridgeNameInUse);
    public const string InvalidSubnet = nameof(InvalidSubnet);
    public const string InvalidGateway = nameof(InvalidGateway);
    public const string SubnetInUse = nameof(SubnetInUse);
    public const string NoFreeSubnet = nameof(NoFreeSubnet);
    public const string NetworkConflict = nameof(NetworkConflict);
    public const string PortMappingUnsupported = nameof(PortMappingUnsupported);
    public const string NetworkSetupFailed = nameof(NetworkSetupFailed);
    public const string NetworkTeardownFailed = nameof(NetworkTeardownFailed);
    public const string NetworkCheckFailed = nameof(NetworkCheckFailed);

    // Images (registries, archives, the store)
    public const string RegistryBlocked = nameof(RegistryBlocked);
    public const string RegistryAuthenticationRequired = nameof(RegistryAuthenticationRequired);
    public const string RegistryAuthenticationFailed = nameof(RegistryAuthenticationFailed);
    public const string InsecureTokenRealm = nameof(InsecureTokenRealm);
    public const string RegistryUnreachable = nameof(RegistryUnreachable);
    public const string RegistryError = nameof(RegistryError);
    public const string BlobNotFound = nameof(BlobNotFound);
    public const string ManifestTooLarge = nameof(ManifestTooLarge);
    public const string ConfigTooLarge = nameof(ConfigTooLarge);
    public const string DigestMismatch = nameof(DigestMismatch);
    public const string BlobDigestMismatch = nameof(BlobDigestMismatch);
    public const string LayerDiffIdMismatch = nameof(LayerDiffIdMismatch);
    public const string UnsafeLayerEntry = nameof(UnsafeLayerEntry);
    public const string UnsafeArchiveEntry = nameof(UnsafeArchiveEntry);
    public const string InvalidLayer = nameof(InvalidLayer);
    public const string InvalidArchive = nameof(InvalidArchive);
    public const string UnknownArchiveFormat = nameof(UnknownArchiveFormat);
    public const string AmbiguousArchiveTag = nameof(AmbiguousArchiveTag);
    public const string ArchiveNotFound = nameof(ArchiveNotFound);
    public const string InvalidImageReference = nameof(InvalidImageReference);
    public const string InvalidRegistryConfig = nameof(InvalidRegistryConfig);
    public const string ImageInUse = nameof(ImageInUse);
    public const string ImageNotPresent = nameof(ImageNotPresent);
    public const string ImageIncomplete = nameof(ImageIncomplete);
    public const string ImageStoreChanged = nameof(ImageStoreChanged);
    public const string AmbiguousImageId = nameof(AmbiguousImageId);
    public const string NoMatchingPlatform = nameof(NoMatchingPlatform);
    public const string UnsupportedManifest = nameof(UnsupportedManifest);
    public const string UnsupportedLayer = nameof(UnsupportedLayer);
    public const string InvalidImageConfig = nameof(InvalidImageConfig);
    public const string InvalidManifest = nameof(InvalidManifest);
    public const string InvalidDigest = nameof(InvalidDigest);
    public const string ImageNotFoundInRegistry = nameof(ImageNotFoundInRegistry);
    public const string EngineHasNoImageStore = nameof(EngineHasNoImageStore);
}
