using System;
using System.Linq;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lists the images in the engine's store: one object per name, with digest, size and the containers using it.</summary>
[Cmdlet(VerbsCommon.Get, "PodImage")]
[OutputType(typeof(PodImage))]
public sealed class GetPodImageCommand : PodEngineCmdletBase
{
    /// <summary>Names (wildcards match the repository, the repository:tag or the full name), digests or image ids.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Name")]
    [SupportsWildcards]
    public string[]? Reference { get; set; }

    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    protected override void ProcessRecord()
    {
        RunItem(() =>
        {
            var images = ImageServices.For(Engine);
            if (Reference is null || Reference.Length == 0)
            {
                foreach (var image in images.GetImages()) WriteObject(image);
                return;
            }
            foreach (var reference in Reference)
            {
                if (WildcardPattern.ContainsWildcardCharacters(reference))
                {
                    var pattern = new WildcardPattern(reference, WildcardOptions.IgnoreCase);
                    foreach (var image in images.GetImages().Where(i => pattern.IsMatch(i.Repository) || pattern.IsMatch($"{i.Repository}:{i.Tag}") || pattern.IsMatch(i.Name)))
                    {
                        WriteObject(image);
                    }
                    continue;
                }
                try
                {
                    var found = images.FindImage(reference);
                    if (found is null) WriteEngineError(Images.ImageErrors.NotFound(reference));
                    else WriteObject(found);
                }
                catch (PodEngineException e)
                {
                    WriteEngineError(e);
                }
            }
        });
    }
}
