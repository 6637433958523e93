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

    /// <summary>Removes the pods folder and the root once the last pod is gone (like an emptied cgroup parent).</summary>
    public void RemoveEmptyRoot()
    {
        foreach (var directory in new[] { PodsDirectory, Root })
        {
            try
            {
                Directory.Delete(directory, recursive: false);
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

    public IEnumerable<string> ListPodNames() =>
        Directory.Exists(PodsDirectory)
            ? Directory.EnumerateDirectories(PodsDirectory).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal)
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

    /// <summary>Takes the pod's writer lock (flock through FileShare.None) for the lifetime of the returned handle.</summary>
    public IDisposable LockPod(string pod, TimeSpan timeout)
    {
        var path = Path.Combine(PodDirectory(pod), ".lock");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && Directory.Exists(PodDirectory(pod)))
            {
                System.Threading.Thread.Sleep(20);
            }
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
