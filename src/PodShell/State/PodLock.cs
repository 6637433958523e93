using System;
using System.IO;
using System.Management.Automation;
using PodShell.Engine;

namespace PodShell.State;

/// <summary>
/// A pod's writer lock: flock on &lt;root&gt;/locks/&lt;pod&gt;.lock, outside the pod's folder so that it outlives the
/// folder's removal. Whoever removes the pod (or finds it gone) deletes the lock file while still holding it; a waiter
/// that then gets the lock on the deleted file sees that the path names another file (or none) and takes the lock again.
/// Taken by create, add, remove and every other change of a pod; never while holding another pod's lock, and only
/// before the CNI and image-store locks (which never wait for a pod's), so no two sessions wait for each other.
/// </summary>
public sealed class PodLock : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> s_heldHere = new(StringComparer.Ordinal);
    private readonly FileStream _stream;
    private readonly string _path;

    private PodLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
        s_heldHere[path] = 0;
    }

    /// <summary>Whether this process holds the lock (flock cannot tell: a second open of the file conflicts with our own).</summary>
    internal static bool IsHeldHere(string path) => s_heldHere.ContainsKey(path);

    internal static PodLock Acquire(string pod, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(path, create: true, out var taken)) return taken!;
            if (DateTime.UtcNow >= deadline)
            {
                throw new PodEngineException(ErrorIds.PodBusy, ErrorCategory.ResourceBusy, pod,
                    $"Another session has been changing pod '{pod}' for {timeout.TotalSeconds} s (it holds {path}).",
                    "Wait for it to finish and try again.");
            }
            System.Threading.Thread.Sleep(20);
        }
    }

    /// <summary>
    /// One attempt, without waiting: true with the lock, false when another session holds it (or, without
    /// <paramref name="create"/>, when there is no lock file).
    /// </summary>
    internal static bool TryAcquire(string path, bool create, out PodLock? taken)
    {
        taken = null;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            FileStream stream;
            try
            {
                if (create) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                stream = new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (FileNotFoundException) when (!create)
            {
                return false;
            }
            catch (DirectoryNotFoundException)
            {
                // The state root went with the last pod between mkdir and open: make it again (or, probing, no lock).
                if (!create) return false;
                continue;
            }
            catch (IOException)
            {
                return false; // flock: held by another session
            }
            if (Linux.FileIdentity.Same(stream.SafeFileHandle, path))
            {
                taken = new PodLock(stream, path);
                return true;
            }
            // Removed (and maybe made anew) between our open and our flock: lock the file that is there now.
            stream.Dispose();
            if (!create && !File.Exists(path)) return false;
        }
        return false;
    }

    /// <summary>The pod is gone: delete the lock file, still holding it, then release.</summary>
    public void ReleaseRemoved()
    {
        try { File.Delete(_path); }
        catch (IOException) { }
        Dispose();
    }

    public void Dispose()
    {
        s_heldHere.TryRemove(_path, out _);
        _stream.Dispose();
    }
}
