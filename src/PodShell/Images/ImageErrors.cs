using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.Images;

/// <summary>The image store's failures, as PodEngineExceptions with stable ids.</summary>
internal static class ImageErrors
{
    public static PodEngineException Registry(string id, string message, string? action, object? target = null, System.Exception? inner = null) =>
        new(id, ErrorCategory.ResourceUnavailable, target, message, action, inner);

    public static PodEngineException Auth(string id, string message, string? action, object? target) =>
        new(id, ErrorCategory.AuthenticationError, target, message, action);

    public static PodEngineException Invalid(string id, string message, string? action, object? target, System.Exception? inner = null) =>
        new(id, ErrorCategory.InvalidData, target, message, action, inner);

    public static PodEngineException Security(string id, string message, object? target) =>
        new(id, ErrorCategory.SecurityError, target, message, "Do not use this image or archive: it tries to write outside its own layer.");

    public static PodEngineException NotFound(string reference) =>
        new(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, reference,
            $"No image '{reference}' is in the image store.", $"Pull it first (Import-PodImage -Reference {reference}), or list the images with Get-PodImage.");

    public static PodEngineException BadReference(string text, string problem) =>
        new(ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, text,
            $"'{text}' is not an image reference: {problem}.", "Write it as [registry[:port]/]name[:tag][@sha256:digest], for example busybox:1.36 or localhost:5000/team/app@sha256:...");
}
