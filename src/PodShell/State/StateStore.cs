using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using PodShell.Linux;

namespace PodShell.State;

/// <summary>
/// The on-disk store: one folder per pod under &lt;root&gt;/pods, one per container under its pod's
/// containers/ folder. JSON is written to a temp file and renamed, so readers never see half a file.
/// </summary>
public sealed class StateStore
{
    public const string DefaultRoot = "/run/podshell";
    public const string RootVariable = "PODSHELL_ROOT";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public StateStore(string? root = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        Root = root ?? (string.IsNullOrEmpty(fromEnvironment) ? DefaultRoot : fromEnvironment);
    }

    public string Root { get; }
    public string PodsDirectory => Path.Combine(Root, "pods");

    public string PodDirectory(string pod) => Path.Combine(PodsDirectory, pod);
    public string ContainerDirectory(string pod, string container) => Path.Combine(PodDirectory(pod), "containers", container);

    /// <summary>The container's log in the CRI format, written by its shim.</summary>
    public string ContainerLogPath(string pod, string container) => Path.Combine(ContainerDirectory(pod, container), "container.log");

    /// <summary>Makes the pod's folder; false when it exists already (mkdir is the atomic test for a duplicate name).</summary>
    public bool TryCreatePodDirectory(string pod)
    {
        // Another session may remove the emptied root between the two steps: then make it again.
        for (var attempt = 0; ; attempt++)
        {
            Directory.CreateDirectory(PodsDirectory);
            try
            {
                return TryMakeDirectory(PodDirectory(pod));
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Removes the locks and pods folders and the root once the last pod is gone (like an emptied cgroup parent).</summary>
    public void RemoveEmptyRoot()
    {
        RemoveStaleLocks();
        RemoveAbandonedRemovals();
        foreach (var directory in new[] { LocksDirectory, PodsDirectory, Root })
        {
            try
            {
                Directory.Delete(directory, recursive: false);
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    public bool TryCreateContainerDirectory(string pod, string container)
    {
        Directory.CreateDirectory(Path.Combine(PodDirectory(pod), "containers"));
        return TryMakeDirectory(ContainerDirectory(pod, container));
    }

    private static bool TryMakeDirectory(string path)
    {
        if (Libc.mkdir(path, Convert.ToUInt32("700", 8)) == 0) return true;
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno == Errno.EEXIST) return false;
        if (errno == Errno.ENOENT) throw new DirectoryNotFoundException($"Cannot create {path}: its parent is gone.");
        throw new IOException($"Cannot create {path}: {Libc.ErrorText(errno)}");
    }

    public bool HasPodDirectory(string pod) => Directory.Exists(PodDirectory(pod));

    private const string RemovedPrefix = ".removed-";

    /// <summary>
    /// Deletes a pod's folder so that it vanishes at once for every reader: renamed out of the way first (a name no
    /// pod can have), then deleted. A session killed in between leaves the renamed folder to the next one's <see cref="RemoveEmptyRoot"/>.
    /// </summary>
    public void DeletePodDirectory(string pod)
    {
        var trash = Path.Combine(PodsDirectory, $"{RemovedPrefix}{pod}-{Environment.ProcessId}");
        if (Directory.Exists(trash)) Directory.Delete(trash, recursive: true);
        try
        {
            Directory.Move(PodDirectory(pod), trash);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        Directory.Delete(trash, recursive: true);
    }

    /// <summary>Folders of removals whose session died before it deleted them.</summary>
    private void RemoveAbandonedRemovals()
    {
        IEnumerable<string> folders;
        try { folders = Directory.EnumerateDirectories(PodsDirectory, RemovedPrefix + "*").ToList(); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            var dash = name.LastIndexOf('-');
            if (int.TryParse(name[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) &&
                pid != Environment.ProcessId && !ProcFs.ProcessDirectoryExists(pid))
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { } // another session got there first
            }
        }
    }

    public IEnumerable<string> ListPodNames() =>
        Directory.Exists(PodsDirectory)
            ? Directory.EnumerateDirectories(PodsDirectory).Select(Path.GetFileName).OfType<string>()
                .Where(n => !n.StartsWith('.')).OrderBy(n => n, StringComparer.Ordinal)
            : Enumerable.Empty<string>();

    public IEnumerable<string> ListContainerNames(string pod)
    {
        var dir = Path.Combine(PodDirectory(pod), "containers");
        return Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal)
            : Enumerable.Empty<string>();
    }

    public PodRecord? ReadPod(string pod) => ReadPod(pod, out _);

    /// <summary>The pod's record, or null with what is wrong with pod.json (missing, empty, not JSON, wrong types, another pod's).</summary>
    public PodRecord? ReadPod(string pod, out string? problem)
    {
        var record = TryRead<PodRecord>(Path.Combine(PodDirectory(pod), "pod.json"), out problem);
        if (record is null) return null;
        if (record.Name != pod || string.IsNullOrEmpty(record.Uid) || string.IsNullOrEmpty(record.CgroupPath) || record.Namespaces is null || record.Labels is null)
        {
            problem = $"pod.json does not describe pod '{pod}' (name '{record.Name}', uid '{record.Uid}', cgroup '{record.CgroupPath}')";
            return null;
        }
        return record;
    }

    /// <summary>The container's record, or null with what is wrong with container.json.</summary>
    public ContainerRecord? ReadContainer(string pod, string container, out string? problem)
    {
        var record = TryRead<ContainerRecord>(Path.Combine(ContainerDirectory(pod, container), "container.json"), out problem);
        if (record is null) return null;
        if (record.Name != container || record.Args is null || record.Environment is null || string.IsNullOrEmpty(record.CgroupPath))
        {
            problem = $"container.json does not describe container '{container}'";
            return null;
        }
        return record;
    }
    public void WritePod(PodRecord record) => Write(Path.Combine(PodDirectory(record.Name), "pod.json"), record);

    public ContainerRecord? ReadContainer(string pod, string container) => ReadContainer(pod, container, out _);

    public void WriteContainer(string pod, ContainerRecord record) =>
        Write(Path.Combine(ContainerDirectory(pod, record.Name), "container.json"), record);

    public Protocol.ContainerStatus? ReadStatus(string pod, string container) => ReadStatus(pod, container, out _);

    /// <summary>status.json as the shim wrote it; null with the problem when it is there but unreadable (null problem: not written yet).</summary>
    public Protocol.ContainerStatus? ReadStatus(string pod, string container, out string? problem)
    {
        var path = Path.Combine(ContainerDirectory(pod, container), "status.json");
        var status = TryRead<Protocol.ContainerStatus>(path, out problem);
        if (status is null && !File.Exists(path)) problem = null;
        else if (status is not null && !Enum.IsDefined(status.State))
        {
            problem = $"status.json has the unknown state '{status.State}'";
            status = null;
        }
        return status;
    }

    /// <summary>The pods' lock files (see <see cref="PodLock"/>): outside the pod folders, so that a lock outlives its pod's removal.</summary>
    public string LocksDirectory => Path.Combine(Root, "locks");

    private string LockPath(string pod) => Path.Combine(LocksDirectory, pod + ".lock");

    /// <summary>Whether some session holds the pod's lock right now (a create in progress, for a folder without a complete pod.json).</summary>
    public bool IsPodLocked(string pod) => IsPodLockedHere(pod) || IsPodLockedElsewhere(pod);

    /// <summary>Whether this process holds the pod's lock (so taking it again would wait for ourselves).</summary>
    public bool IsPodLockedHere(string pod) => PodLock.IsHeldHere(LockPath(pod));

    /// <summary>Whether another process holds the pod's lock right now.</summary>
    public bool IsPodLockedElsewhere(string pod)
    {
        if (PodLock.IsHeldHere(LockPath(pod)) || !File.Exists(LockPath(pod))) return false;
        if (!PodLock.TryAcquire(LockPath(pod), create: false, out var probe)) return File.Exists(LockPath(pod));
        probe!.Dispose();
        return false;
    }

    /// <summary>
    /// Takes the pod's writer lock (see <see cref="PodLock"/>). With <paramref name="mustExist"/> (everything but create)
    /// a pod removed meanwhile is PodNotFound, and its lock file goes with it.
    /// </summary>
    public PodLock LockPod(string pod, TimeSpan timeout, bool mustExist = true)
    {
        var podLock = PodLock.Acquire(pod, LockPath(pod), timeout);
        if (mustExist && !Directory.Exists(PodDirectory(pod)))
        {
            podLock.ReleaseRemoved();
            RemoveEmptyRoot();
            throw Engine.PodEngineException.PodNotFound(pod);
        }
        return podLock;
    }

    /// <summary>
    /// Deletes the lock files of pods that have no folder (a session killed between taking a new pod's lock and making
    /// its folder), each only while holding it, so a session that is creating that pod right now is never disturbed.
    /// </summary>
    private void RemoveStaleLocks()
    {
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(LocksDirectory, "*.lock").ToList(); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var file in files)
        {
            var pod = Path.GetFileNameWithoutExtension(file);
            if (Directory.Exists(PodDirectory(pod)) || !PodLock.TryAcquire(file, create: false, out var stale)) continue;
            if (Directory.Exists(PodDirectory(pod))) stale!.Dispose();
            else stale!.ReleaseRemoved();
        }
    }

    /// <summary>Reads a JSON state file; null with the reason when it is missing, empty, not JSON or of the wrong shape.</summary>
    internal static T? TryRead<T>(string path, out string? problem) where T : class
    {
        problem = null;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{Path.GetFileName(path)} is missing";
            return null;
        }
        catch (IOException e)
        {
            problem = $"{Path.GetFileName(path)} cannot be read: {e.Message}";
            return null;
        }
        if (bytes.Length == 0)
        {
            problem = $"{Path.GetFileName(path)} is empty";
            return null;
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Json);
            if (value is null) problem = $"{Path.GetFileName(path)} holds null";
            return value;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            problem = $"{Path.GetFileName(path)} is not valid: {e.Message}";
            return null;
        }
    }

    internal static T? Read<T>(string path) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Json);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException) { return null; }
    }

    internal static void Write<T>(string path, T value)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(value, Json));
        File.Move(temp, path, overwrite: true);
    }
}
