using System;
using System.Collections.Generic;
using System.IO;
using PodShell.Cgroups;

namespace PodShell.Tests.Fakes;

/// <summary>
/// A cgroup tree in a temp folder, v1 (a folder per hierarchy) or v2 (one unified tree): CgroupFileSystem.Detect
/// recognises it by its files. <see cref="Make"/> plays the kernel's part of mkdir: the new cgroup's files with
/// the kernel's defaults, since PodShell (like runc) never creates a cgroup file itself.
/// </summary>
internal sealed class CgroupFixture : IDisposable
{
    private static readonly string[] V1Hierarchies = { "cpu,cpuacct", "memory", "pids", "freezer" };
    private readonly TempDirectory _root = new();

    private CgroupFixture(bool v2)
    {
        V2 = v2;
        if (v2)
        {
            File.WriteAllText(_root.File("cgroup.controllers"), "cpu memory pids\n");
            File.WriteAllText(_root.File("cgroup.subtree_control"), "");
            File.WriteAllText(_root.File("cgroup.procs"), "");
        }
        else
        {
            foreach (var hierarchy in V1Hierarchies)
            {
                Directory.CreateDirectory(_root.File(hierarchy));
                File.WriteAllText(Path.Combine(_root.File(hierarchy), "cgroup.procs"), "");
            }
        }
        Manager = new CgroupManager(CgroupFileSystem.Detect(_root.Path));
    }

    public static CgroupFixture CreateV1() => new(v2: false);

    public static CgroupFixture CreateV2() => new(v2: true);

    public bool V2 { get; }

    public string Root => _root.Path;

    public CgroupManager Manager { get; }

    /// <summary>mkdir through PodShell, then the files the kernel would put in the new cgroup.</summary>
    public void Make(string relative)
    {
        Manager.Create(relative);
        foreach (var (folder, files) in DefaultFiles())
        {
            var directory = Path.Combine(folder, relative);
            foreach (var (name, value) in files)
            {
                var path = Path.Combine(directory, name);
                if (!File.Exists(path)) File.WriteAllText(path, value + "\n");
            }
        }
    }

    /// <summary>A file of a cgroup: on v1 in the hierarchy named (e.g. "memory"), on v2 in the unified tree.</summary>
    public string Read(string hierarchy, string relative, string file) =>
        File.ReadAllText(Path.Combine(V2 ? Root : _root.File(hierarchy), relative, file)).Trim();

    private IEnumerable<(string Folder, Dictionary<string, string> Files)> DefaultFiles()
    {
        if (V2)
        {
            yield return (Root, new Dictionary<string, string>
            {
                ["cgroup.procs"] = "", ["cgroup.controllers"] = "cpu memory pids", ["cgroup.subtree_control"] = "", ["cgroup.freeze"] = "0",
                ["cpu.weight"] = "100", ["cpu.max"] = "max 100000", ["memory.max"] = "max", ["memory.current"] = "0", ["pids.max"] = "max",
            });
            yield break;
        }
        yield return (_root.File("cpu,cpuacct"), new Dictionary<string, string>
        {
            ["cgroup.procs"] = "", ["cpu.shares"] = "1024", ["cpu.cfs_period_us"] = "100000", ["cpu.cfs_quota_us"] = "-1",
        });
        yield return (_root.File("memory"), new Dictionary<string, string>
        {
            ["cgroup.procs"] = "", ["memory.limit_in_bytes"] = "9223372036854771712", ["memory.usage_in_bytes"] = "0",
        });
        yield return (_root.File("pids"), new Dictionary<string, string> { ["cgroup.procs"] = "", ["pids.max"] = "max" });
        yield return (_root.File("freezer"), new Dictionary<string, string> { ["cgroup.procs"] = "", ["freezer.state"] = "THAWED" });
    }

    public void Dispose() => _root.Dispose();
}
