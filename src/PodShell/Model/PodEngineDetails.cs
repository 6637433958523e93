namespace PodShell.Model;

/// <summary>The engine-specific part of a Pod (NativePodDetails, ...): facts that mean nothing on other engines.</summary>
public abstract class PodEngineDetails
{
}
