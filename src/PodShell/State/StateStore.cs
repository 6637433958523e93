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

    public PodRecord? ReadPod(string pod) => Read<PodRecord>(Path.Combine(PodDirectory(pod), "pod.json"));
    public void WritePod(PodRecord record) => Write(Path.Combine(PodDirectory(record.Name), "pod.json"), record);

    public ContainerRecord? ReadContainer(string pod, string container) =>
        Read<ContainerRecord>(Path.Combine(ContainerDirectory(pod, container), "container.json"));

    public void WriteContainer(string pod, ContainerRecord record) =>
        Write(Path.Combine(ContainerDirectory(pod, record.Name), "container.json"), record);

    public Protocol.ContainerStatus? ReadStatus(string pod, string container) =>
        Read<Protocol.ContainerStatus>(Path.Combine(ContainerDirectory(pod, container), "status.json"));

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
