using System;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using PodShell.Completion;
using PodShell.Engine;

namespace PodShell.Cmdlets;

/// <summary>
/// Copies files and folders between the node and a running container, like docker cp and kubectl cp:
/// the container side is written pod/container:/path (or pod:/path for a pod's only container).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "PodItem", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class CopyPodItemCommand : PodEngineCmdletBase
{
    // pod[/container]:path, the pod a DNS-1123 subdomain and the container a label.
    private static readonly Regex ContainerSide = new(@"^(?<pod>[a-z0-9][-a-z0-9.]*)(/(?<container>[a-z0-9][-a-z0-9]*))?:(?<path>.*)$", RegexOptions.CultureInvariant);

    /// <summary>What to copy: a path on the node, or pod/container:/path in a container.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Source")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Where to: pod/container:/path in a container, or a path on the node.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The container when the container side names only the pod (kubectl cp -c).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string? Container { get; set; }

    private sealed record Side(string? Pod, string? Container, string Path);

    protected override void ProcessRecord()
    {
        var source = Parse(Path);
        var destination = Parse(Destination);
        if ((source.Pod is null) == (destination.Pod is null))
        {
            WriteNonTerminating(ErrorIds.InvalidCopyPath, ErrorCategory.InvalidArgument, $"{Path} -> {Destination}",
                source.Pod is null
                    ? "Neither side names a container: one of -Path and -Destination must be pod/container:/path."
                    : "Both sides name a container: copy from one container to the node, then to the other.",
                "For example: Copy-PodItem ./app.conf foo/app:/etc/app.conf, or Copy-PodItem foo/app:/var/log ./logs.");
            return;
        }
        var inside = source.Pod is not null ? source : destination;
        var engine = FindEngine(inside.Pod!);
        if (engine is null) return;
        if (engine is not IContainerFileCopier copier)
        {
            WriteEngineError(new PodEngineException(ErrorIds.EngineNotAvailable, ErrorCategory.NotImplemented, inside.Pod,
                $"The {engine.Kind} engine cannot copy files.", "Use Invoke-PodCommand with cat, or the engine's own tools."));
            return;
        }
        var container = ContainerTarget.Resolve(this, engine, inside.Pod!, inside.Container ?? Container, "pod/container:");
        if (container is null) return;
        var shownSource = source.Pod is null ? source.Path : $"{source.Pod}/{container}:{source.Path}";
        var shownDestination = destination.Pod is null ? destination.Path : $"{destination.Pod}/{container}:{destination.Path}";
        if (!ShouldProcess($"{shownSource} -> {shownDestination}", "Copy")) return;
        RunItem(() =>
        {
            var result = source.Pod is not null
                ? copier.CopyFromContainer(source.Pod, container, source.Path, destination.Path, Cancellation)
                : copier.CopyToContainer(destination.Pod!, container, source.Path, destination.Path, Cancellation);
            WriteVerbose($"Copied {shownSource} to {result.Destination}: {result.Files} file(s) ({result.Bytes} bytes), {result.Directories} folder(s), {result.Links} symlink(s).");
            foreach (var skipped in result.Skipped) WriteWarning($"Not copied (not a file, folder or symlink): {skipped}");
        });
    }

    /// <summary>pod[/container]:path when the pod exists (or no PowerShell drive has that name); else a path on the node.</summary>
    private Side Parse(string text)
    {
        var match = ContainerSide.Match(text);
        if (match.Success)
        {
            var pod = match.Groups["pod"].Value;
            var isDrive = SessionState.Drive.GetAll().Any(d => string.Equals(d.Name, pod, StringComparison.OrdinalIgnoreCase));
            if (!isDrive || EngineRegistry.Owner(pod) is not null)
            {
                var path = match.Groups["path"].Value;
                if (!path.StartsWith('/')) path = "/" + path; // relative to the container's root (its working directory is not known here)
                return new Side(pod, match.Groups["container"].Success ? match.Groups["container"].Value : null, path);
            }
        }
        // Trailing "/." (contents only) and "/" (must be a folder) carry meaning: keep them through resolution.
        var suffix = text.EndsWith("/.", StringComparison.Ordinal) ? "/." : text.EndsWith('/') ? "/" : "";
        var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
        if (suffix == "/." && !full.EndsWith("/.", StringComparison.Ordinal)) full = full.TrimEnd('/') + "/.";
        else if (suffix == "/" && !full.EndsWith('/')) full += "/";
        return new Side(null, null, full);
    }
}
