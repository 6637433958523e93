using System.Collections.Generic;
using System.Net;
using System.Threading;
using PodShell.Engine;
using PodShell.Images;
using PodShell.Model;

namespace PodShell.Native;

/// <summary>The native engine's images: PodShell's own store (PODSHELL_IMAGE_ROOT), read afresh on each call.</summary>
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
}
