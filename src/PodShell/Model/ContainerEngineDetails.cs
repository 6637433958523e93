namespace PodShell.Model;

/// <summary>The engine-specific part of a PodContainer (NativeContainerDetails, ...).</summary>
public abstract class ContainerEngineDetails
{
}
