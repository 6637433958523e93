using System.Text.Json;
using System.Text.Json.Serialization;
using PodShell.Protocol;

namespace PodShell.Init;

/// <summary>Source-generated JSON (no reflection under NativeAOT): camelCase, case-insensitive reads.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SandboxSpec))]
[JsonSerializable(typeof(SandboxResult))]
[JsonSerializable(typeof(ContainerSpec))]
[JsonSerializable(typeof(StartResult))]
[JsonSerializable(typeof(ContainerStatus))]
internal sealed partial class InitJson : JsonSerializerContext;
