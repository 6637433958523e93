namespace PodShell.Network;

/// <summary>The runtime's half of a plugin call (the CNI_* environment variables except CNI_COMMAND and CNI_PATH).</summary>
public sealed record CniInvocation(string ContainerId, string NetnsPath, string IfName, string Args);
