using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Collections.ObjectModel;
using System.Management.Automation;
using PodShell.Manifest;

namespace PodShell.Cmdlets;

/// <summary>
/// Input of the cmdlets that read manifests: files (-Path, or FileInfo objects from the pipeline) or text
/// (-Content, or strings from the pipeline, gathered and read as one document stream at the end, so
/// `Get-Content pod.yaml | New-Pod` works like ConvertFrom-Json does).
/// </summary>
public abstract class ManifestCmdletBase : PodEngineCmdletBase
{
    protected const string PathSet = "Path";
    protected const string ContentSet = "Content";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string[] Content { get; set; } = Array.Empty<string>();

    /// <summary>Maps an image reference to another: "host" (the node's root), a rootfs folder, or another reference.</summary>
    [Parameter]
    public Hashtable? ImageMap { get; set; }

    /// <summary>Where a Localhost seccompProfile's localhostProfile is read (kubelet's /var/lib/kubelet/seccomp by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string SeccompProfileRoot { get; set; } = ManifestTranslator.KubeletSeccompRoot;

    private readonly List<string> _content = new();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ContentSet)
        {
            _content.AddRange(Content);
            return;
        }
        foreach (var path in Path)
        {
            foreach (var file in ResolveFiles(path)) ReadAndHandle(File.ReadAllText(file), file);
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ContentSet && _content.Count > 0) ReadAndHandle(string.Join("\n", _content), "<content>");
    }

    /// <summary>One manifest file or text, parsed and translated: each pod's plan, in document order.</summary>
    protected abstract void HandlePlans(IReadOnlyList<PodManifestPlan> plans);

    private void ReadAndHandle(string text, string source)
    {
        List<PodManifestPlan> plans;
        try
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (image, given) in HashtableArguments.ToStrings(ImageMap))
            {
                var value = given;
                // A folder is given as the user sees it (relative to the current location).
                if (value != "host" && (value.StartsWith('.') || value.StartsWith('/') || value.StartsWith('~')))
                {
                    value = SessionState.Path.GetUnresolvedProviderPathFromPSPath(value);
                }
                map[image] = value;
            }
            // Every document is translated before anything is made: a bad one anywhere makes none.
            var seccompRoot = SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeccompProfileRoot);
            plans = ManifestCodec.Instance.Read(text, source).Select(d => ManifestTranslator.Translate(d, map, seccompRoot)).ToList();
        }
        catch (ManifestException e)
        {
            // The ManifestException itself, so scripts can read its Line, Column and FieldPath.
            var record = new ErrorRecord(e, "ManifestInvalid", ErrorCategory.InvalidData, source)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Fix the manifest at that line and field, then run it again." },
            };
            WriteError(record);
            return;
        }
        HandlePlans(plans);
    }

    private IEnumerable<string> ResolveFiles(string path)
    {
        Collection<string> resolved;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException e)
        {
            WriteError(MakeError("ManifestNotFound", ErrorCategory.ObjectNotFound, path, $"No manifest file at '{path}'.",
                "Check the path; give -Content to read YAML text instead.", e));
            yield break;
        }
        foreach (var file in resolved)
        {
            if (Directory.Exists(file))
            {
                WriteError(MakeError("ManifestNotFound", ErrorCategory.InvalidArgument, file, $"'{file}' is a folder, not a manifest file.",
                    "Name a .yaml, .yml or .json file."));
                continue;
            }
            yield return file;
        }
    }
}
