using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using PodShell.Engine;
using PodShell.Images;
using PodShell.Images.Store;
using PodShell.Model;
using PodShell.State;

namespace PodShell.Native;

/// <summary>
/// The native engine's images: PodShell's own store (PODSHELL_IMAGE_ROOT), read afresh on each call. A container
/// of a stored image runs on the image's layers as overlay lowers, holds a lease on them while it exists, and
/// gets the image's config where it says nothing itself.
/// </summary>
public sealed partial class NativeEngine : IImageService
{
    private static LocalImageService Images => new();

    public PodImage PullImage(ImagePullRequest request, IImageProgress? progress, CancellationToken cancel)
    {
        RequireRoot();
        return Images.PullImage(request, progress, cancel);
    }

    public IReadOnlyList<PodImage> ImportArchive(ImageArchiveRequest request, IImageProgress? progress, CancellationToken cancel)
    {
        RequireRoot();
        return Images.ImportArchive(request, progress, cancel);
    }

    public IEnumerable<PodImage> GetImages() => Images.GetImages();

    public PodImage? FindImage(string reference) => Images.FindImage(reference);

    public ImageRemoval RemoveImage(string reference, bool force, CancellationToken cancel)
    {
        RequireRoot();
        return Images.RemoveImage(reference, force, cancel);
    }

    public PodImage EnsureImage(string reference, PullPolicy policy, NetworkCredential? credential, IImageProgress? progress, CancellationToken cancel)
    {
        RequireRoot();
        return Images.EnsureImage(reference, policy, credential, progress, cancel);
    }

    private sealed record PreparedImage(ImageRecord Record, string? Digest, IReadOnlyList<string> LowerDirs, ImageRunConfig Run, LayeredRoot Root);

    private static bool UsesStoredImage(ContainerCreateRequest request) =>
        request.RootFs is null && !string.Equals(request.Image, HostImage.Name, StringComparison.Ordinal);

    /// <summary>Pulls the image as the policy says, and works out what the container runs from its config.</summary>
    private static PreparedImage PrepareStoredImage(ContainerCreateRequest request, CancellationToken cancel)
    {
        var images = Images;
        var policy = request.PullPolicy ?? LocalImageService.DefaultPolicy(request.Image);
        var image = images.EnsureImage(request.Image, policy, null, null, cancel);
        var record = images.FindRecord(image.Id) ?? throw new PodEngineException(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, request.Image,
            $"The image '{request.Image}' went away while the container was being made.", "Run the command again.");
        ImageRunConfig run;
        try
        {
            run = ImageRunConfig.Resolve(record.Config, request.Command, request.Arguments, request.Environment, request.WorkingDirectory, request.User);
        }
        catch (FormatException e)
        {
            throw new PodEngineException(ErrorIds.InvalidArgument, ErrorCategory.InvalidData, request.Image, $"The image '{request.Image}' has a StopSignal PodShell cannot read: {e.Message}", null, e);
        }
        var lowers = images.LowerDirectories(record);
        var root = new LayeredRoot(lowers);
        if (run.User is { } user) CheckUser(root, user, request.Image);
        return new PreparedImage(record, image.Digest ?? record.ManifestDigest, lowers, run, root);
    }

    /// <summary>A user or group given by name must be in the image's /etc/passwd or /etc/group (as runc requires).</summary>
    private static void CheckUser(LayeredRoot root, string user, string image)
    {
        var parts = user.Split(':', 2);
        if (!IsNumeric(parts[0]) && !HasEntry(root.ReadText("/etc/passwd"), parts[0]))
        {
            throw new PodEngineException(ErrorIds.InvalidArgument, ErrorCategory.ObjectNotFound, user,
                $"The user '{parts[0]}' is not in the /etc/passwd of image '{image}'.", "Give a user the image knows, or a numeric uid (-User 1000).");
        }
        if (parts.Length == 2 && !IsNumeric(parts[1]) && !HasEntry(root.ReadText("/etc/group"), parts[1]))
        {
            throw new PodEngineException(ErrorIds.InvalidArgument, ErrorCategory.ObjectNotFound, user,
                $"The group '{parts[1]}' is not in the /etc/group of image '{image}'.", "Give a group the image knows, or a numeric gid (-User 1000:1000).");
        }
    }

    private static bool IsNumeric(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static bool HasEntry(string? file, string name) =>
        file is not null && file.Split('\n').Any(line => line.Split(':')[0] == name);

    private void AcquireImage(ContainerRecord record, string pod, CancellationToken cancel) =>
        Images.Acquire(record.ImageId!, record.Id, pod, record.Name, _store.ContainerDirectory(pod, record.Name), cancel);

    private static void ReleaseImage(ContainerRecord record) => Images.Release(record.Id);
}
