using System.Management.Automation;

namespace PodShell.Engine;

/// <summary>A failure the user can act on: carries the ErrorRecord's stable id, category and target.</summary>
public sealed class PodEngineException : PodShellException
{
    public PodEngineException(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, System.Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public ErrorCategory Category { get; }
    public object? Target { get; }
    public string? RecommendedAction { get; }

    public static PodEngineException PodNotFound(string name) => new(
        ErrorIds.PodNotFound, ErrorCategory.ObjectNotFound, name,
        $"No pod named '{name}' exists.", "List the pods with Get-Pod, or create one with New-PodSandbox.");

    public static PodEngineException ContainerNotFound(string pod, string name) => new(
        ErrorIds.ContainerNotFound, ErrorCategory.ObjectNotFound, $"{pod}/{name}",
        $"Pod '{pod}' has no container named '{name}'.", $"List its containers with Get-PodContainer -Pod {pod}.");
}
