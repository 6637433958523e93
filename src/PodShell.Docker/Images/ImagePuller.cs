using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using PodShell.Docker.Connection;
using PodShell.Engine;

namespace PodShell.Docker.Images;

/// <summary>
/// Makes sure the daemon holds an image, pulling it when missing. The daemon's pull stream (one status per
/// layer) is relayed as progress on the caller's thread, one activity per layer under the image's.
/// </summary>
public static class ImagePuller
{
    public static bool Exists(DockerConnection docker, string image, CancellationToken cancel)
    {
        try
        {
            DockerConnection.Run(() => docker.Client.Images.InspectImageAsync(image, cancel), cancel);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public static void Ensure(DockerConnection docker, string image, IEngineProgress? progress, CancellationToken cancel)
    {
        if (Exists(docker, image, cancel)) return;
        var (repository, tag) = Split(image);
        var messages = new BlockingCollection<JSONMessage>();
        var parameters = new ImagesCreateParameters { FromImage = repository, Tag = tag };
        var pull = Task.Run(() => docker.Client.Images.CreateImageAsync(parameters, null, new Relay(messages), cancel), cancel);
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        string? error = null;
        progress?.Report(new EngineProgress(0, $"Pulling {image}", "Resolving", -1, false));
        try
        {
            // The caller's thread drains the stream's messages while the pull runs: Write-Progress stays on it.
            while (!pull.IsCompleted || messages.Count > 0)
            {
                if (!messages.TryTake(out var message, 100, cancel)) continue;
                if (message.Error is not null)
                {
                    error = message.Error.Message;
                    continue;
                }
                if (progress is null || string.IsNullOrEmpty(message.ID) || message.ID == tag) continue;
                if (!layers.TryGetValue(message.ID, out var activity)) layers[message.ID] = activity = layers.Count + 1;
                var percent = message.Progress is { Total: > 0 } p ? (int)Math.Min(100, (p.Current ?? 0) * 100 / p.Total!.Value) : -1;
                var done = message.Status is "Pull complete" or "Already exists";
                progress.Report(new EngineProgress(activity, $"Layer {message.ID}", message.Status ?? "", percent, done, ParentActivityId: 0));
            }
            DockerConnection.Run(() => pull, cancel);
        }
        catch (DockerApiException e)
        {
            throw PullFailed(image, docker, e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message, e);
        }
        finally
        {
            progress?.Report(new EngineProgress(0, $"Pulling {image}", "Done", 100, true));
        }
        if (error is not null) throw PullFailed(image, docker, error, null);
        if (!Exists(docker, image, cancel)) throw PullFailed(image, docker, "the daemon reported no error, yet does not hold the image", null);
    }

    private static PodEngineException PullFailed(string image, DockerConnection docker, string reason, Exception? inner) => new(
        ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, image,
        $"The image '{image}' is not in the Docker daemon at {docker.Endpoint.Display} and could not be pulled: {reason}",
        "Check the image name and tag, log in to its registry (docker login), or load it first (docker load / docker import).",
        inner);

    /// <summary>"registry:5000/name:tag" -> ("registry:5000/name", "tag"); a digest stays with the name; no tag: latest.</summary>
    public static (string Repository, string Tag) Split(string image)
    {
        if (image.Contains('@')) return (image, "");
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Hands each message over synchronously (Progress&lt;T&gt; would post it later, after the pull has ended).</summary>
    private sealed class Relay : IProgress<JSONMessage>
    {
        private readonly BlockingCollection<JSONMessage> _messages;
        public Relay(BlockingCollection<JSONMessage> messages) => _messages = messages;
        public void Report(JSONMessage value) => _messages.Add(value);
    }
}
