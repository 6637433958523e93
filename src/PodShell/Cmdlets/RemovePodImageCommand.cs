using System;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>
/// Removes an image name, and the image with its last name; layers and blobs no other image or container
/// uses are deleted. An image containers use is refused unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "PodImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ReferenceSet)]
[OutputType(typeof(void))]
public sealed class RemovePodImageCommand : PodEngineCmdletBase
{
    private const string ReferenceSet = "Reference";
    private const string InputObjectSet = "InputObject";

    /// <summary>name:tag, name@digest, an image id or id prefix.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ReferenceSet, ValueFromPipeline = true)]
    [Alias("Image", "Name")]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = Array.Empty<string>();

    /// <summary>Images from Get-PodImage: each removes the name it was listed under.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public PodImage[] InputObject { get; set; } = Array.Empty<PodImage>();

    /// <summary>Remove an image that containers use (their layers stay until the containers go), without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public PodEngineKind Engine { get; set; } = PodEngineKind.Native;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var image in InputObject) Remove(image.Name.Length > 0 ? image.Name : image.Id);
            return;
        }
        foreach (var reference in Reference) Remove(reference);
    }

    private void Remove(string reference)
    {
        if (!ShouldProcessUnlessForced(Force, reference, "Remove image")) return;
        RunItem(() =>
        {
            var removal = ImageServices.For(Engine).RemoveImage(reference, Force, Cancellation);
            foreach (var name in removal.Untagged) WriteVerbose($"Untagged {name}");
            if (removal.ImageDeleted) WriteVerbose($"Deleted image {removal.Id}");
            foreach (var layer in removal.DeletedLayers) WriteVerbose($"Deleted layer {layer}");
        });
    }
}
