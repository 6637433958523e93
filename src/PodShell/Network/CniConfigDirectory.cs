using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Engine;

namespace PodShell.Network;

/// <summary>
/// A folder of CNI network configurations (/etc/cni/net.d by default, PODSHELL_CNI_CONFIG_DIR or
/// -CniConfigDirectory otherwise). Files are read in name order, as libcni lists them; the first one is the
/// default network, which is the one containerd picks.
/// </summary>
public sealed class CniConfigDirectory
{
    public const string DefaultPath = "/etc/cni/net.d";
    public const string PathVariable = "PODSHELL_CNI_CONFIG_DIR";
    private static readonly string[] Extensions = { ".conflist", ".conf", ".json" };

    public CniConfigDirectory(string? path = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        Path = System.IO.Path.GetFullPath(!string.IsNullOrEmpty(path) ? path : !string.IsNullOrEmpty(fromEnvironment) ? fromEnvironment : DefaultPath);
    }

    public string Path { get; }

    public IEnumerable<string> Files() =>
        Directory.Exists(Path)
            ? Directory.EnumerateFiles(Path)
                .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.Ordinal))
                .OrderBy(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal)
            : Enumerable.Empty<string>();

    /// <summary>Every readable configuration, in file-name order; unreadable files are reported through <paramref name="invalid"/>.</summary>
    public List<CniConfigList> LoadAll(List<PodEngineException>? invalid = null)
    {
        var lists = new List<CniConfigList>();
        foreach (var file in Files())
        {
            try
            {
                lists.Add(CniConfigList.Load(file));
            }
            catch (PodEngineException e)
            {
                invalid?.Add(e);
            }
        }
        return lists;
    }

    /// <summary>The network of that name (the first file that defines it), or null.</summary>
    public CniConfigList? Find(string name)
    {
        PodEngineException? broken = null;
        foreach (var file in Files())
        {
            try
            {
                var list = CniConfigList.Load(file);
                if (list.Name == name) return list;
            }
            catch (PodEngineException e)
            {
                // A broken file may be the one the user meant: say so when nothing else matches.
                if (System.IO.Path.GetFileNameWithoutExtension(file).EndsWith(name, StringComparison.Ordinal)) broken ??= e;
            }
        }
        if (broken is not null) throw broken;
        return null;
    }

    /// <summary>The default network: the first configuration by file name that can be read, or null when there is none.</summary>
    public CniConfigList? First(List<PodEngineException>? invalid = null)
    {
        foreach (var file in Files())
        {
            try
            {
                return CniConfigList.Load(file);
            }
            catch (PodEngineException e)
            {
                invalid?.Add(e);
            }
        }
        return null;
    }
}
