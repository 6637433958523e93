using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PodShell.Manifest.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PodShell.Manifest.Yaml;

/// <summary>Reads and writes Kubernetes Pod manifests with YamlDotNet (JSON is read as the YAML subset it is).</summary>
public sealed class YamlManifestCodec : IManifestCodec
{
    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        // Fields the typed model lacks are not lost: the field report finds them in the node tree.
        .IgnoreUnmatchedProperties()
        .Build();

    private static readonly ISerializer Writer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .WithQuotingNecessaryStrings()
        .Build();

    public IReadOnlyList<ManifestDocument> Read(string text, string source)
    {
        var trees = LoadTrees(text, source);
        var documents = new List<ManifestDocument>();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var index = 0;
        while (!parser.Accept<StreamEnd>(out _))
        {
            var tree = index < trees.Count ? trees[index] : null;
            KubeDocument? typed;
            try
            {
                typed = Reader.Deserialize<KubeDocument?>(parser);
            }
            catch (YamlException e)
            {
                throw TypeError(e, tree, source);
            }
            index++;
            if (typed is null || tree is null) continue;
            if (string.Equals(typed.Kind, "List", StringComparison.Ordinal))
            {
                var items = tree["items"]?.Items ?? Array.Empty<ManifestNode>();
                for (var i = 0; i < (typed.Items?.Count ?? 0); i++)
                {
                    documents.Add(new ManifestDocument(typed.Items![i], i < items.Count ? items[i] : tree, source, documents.Count));
                }
                continue;
            }
            documents.Add(new ManifestDocument(typed, tree, source, documents.Count));
        }
        return documents;
    }

    public string Write(IEnumerable<KubeDocument> pods) =>
        string.Join("---\n", pods.Select(p => Writer.Serialize(p)));

    private static List<ManifestNode?> LoadTrees(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(source, (int)e.Start.Line, (int)e.Start.Column, null, "not valid YAML: " + Innermost(e).Message, e);
        }
        return stream.Documents.Select(d => d.RootNode is null ? null : ToNode(d.RootNode)).ToList();
    }

    private static ManifestException TypeError(YamlException e, ManifestNode? tree, string source)
    {
        var line = (int)e.Start.Line;
        var column = (int)e.Start.Column;
        var hit = tree?.At(line, column);
        var value = hit?.Node.Value is { } v ? $" '{v}'" : "";
        var problem = e.InnerException is { } inner
            ? $"the value{value} has the wrong type: {inner.Message}"
            : $"the value{value} has the wrong type: {Innermost(e).Message}";
        return new ManifestException(source, line, column, hit?.Path, problem, e);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static ManifestNode ToNode(YamlNode node)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        return node switch
        {
            YamlMappingNode map => new ManifestNode
            {
                Kind = ManifestNodeKind.Mapping, Line = line, Column = column,
                Entries = map.Children.Select(c => new KeyValuePair<string, ManifestNode>(((c.Key as YamlScalarNode)?.Value) ?? c.Key.ToString(), ToNode(c.Value))).ToList(),
            },
            YamlSequenceNode seq => new ManifestNode
            {
                Kind = ManifestNodeKind.Sequence, Line = line, Column = column,
                Items = seq.Children.Select(ToNode).ToList(),
            },
            YamlScalarNode scalar => new ManifestNode { Kind = ManifestNodeKind.Scalar, Line = line, Column = column, Value = scalar.Value },
            _ => new ManifestNode { Kind = ManifestNodeKind.Scalar, Line = line, Column = column },
        };
    }
}
