using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using PodShell.Init;
using PodShell.Protocol;
using PodShell.State;
using Xunit;

namespace PodShell.Tests.Init;

/// <summary>
/// The module writes specs with System.Text.Json and podshell-init reads them with its hand-written InitJson; podshell-init
/// writes answers and status with InitJson and the module reads them with System.Text.Json. Every property of every
/// protocol type gets a value unlike its default, so a field one side forgets comes back different and fails here.
/// </summary>
public class ProtocolRoundTripTests
{
    private static readonly JsonSerializerOptions Json = StateStore.Json;

    [Fact]
    public void SandboxSpecGoesFromTheModuleToInitWhole() => ModuleToInit(InitJson.Default.SandboxSpec);

    [Fact]
    public void ContainerSpecGoesFromTheModuleToInitWhole() => ModuleToInit(InitJson.Default.ContainerSpec);

    [Fact]
    public void SandboxResultGoesFromInitToTheModuleWhole() => InitToModule(InitJson.Default.SandboxResult);

    [Fact]
    public void StartResultGoesFromInitToTheModuleWhole() => InitToModule(InitJson.Default.StartResult);

    [Fact]
    public void ContainerStatusGoesFromInitToTheModuleWhole() => InitToModule(InitJson.Default.ContainerStatus);

    [Fact]
    public void StartResultAlsoReadsBackInInit()
    {
        var original = Filled<StartResult>();
        var read = InitJson.Default.StartResult.Read(Parse(Output.Serialize(original, InitJson.Default.StartResult)));
        Assert.Equal(JsonSerializer.Serialize(original, Json), JsonSerializer.Serialize(read, Json));
    }

    [Fact]
    public void EveryProtocolTypeIsCovered()
    {
        var covered = new[] { typeof(SandboxSpec), typeof(ContainerSpec), typeof(RootfsSpec), typeof(BindMount), typeof(SeccompSpec), typeof(SeccompRule), typeof(SeccompArg), typeof(SandboxResult), typeof(StartResult), typeof(ContainerStatus) };
        // Every JSON type (static classes such as ExecFrames are constants, not JSON).
        var all = typeof(SandboxSpec).Assembly.GetTypes().Where(t => t.Namespace == "PodShell.Protocol" && t.IsClass && t.IsPublic && !t.IsAbstract);
        Assert.Empty(all.Except(covered));
    }

    [Theory]
    [InlineData("{\"podName\":\"p\",\"noSuchField\":1}", "noSuchField")]
    [InlineData("{\"rootfs\":{\"lowerDirs\":[],\"extra\":true}}", "extra")]
    [InlineData("{\"restartPolicy\":\"Sometimes\"}", "Sometimes")]
    [InlineData("{\"restartPolicy\":\"1\"}", "'1'")]
    [InlineData("{\"joinNamespaces\":[\"net\",\"user\"]}", "user")]
    public void InitRejectsWhatItDoesNotKnow(string json, string named)
    {
        var error = Assert.Throws<FormatException>(() => InitJson.Default.ContainerSpec.Read(Parse(json)));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void InitReadsEnumsInAnyCaseAsTheModuleWritesThem()
    {
        var spec = InitJson.Default.ContainerSpec.Read(Parse("{\"restartPolicy\":\"onfailure\",\"joinNamespaces\":[\"Net\",\"pid\"]}"));
        Assert.Equal(ShimRestartPolicy.OnFailure, spec.RestartPolicy);
        Assert.Equal(new[] { SharedNamespace.Net, SharedNamespace.Pid }, spec.JoinNamespaces);
        Assert.Contains("\"restartPolicy\": \"Never\"", JsonSerializer.Serialize(new ContainerSpec { RestartPolicy = ShimRestartPolicy.Never }, Json));
    }

    private static void ModuleToInit<T>(JsonType<T> type) where T : class, new()
    {
        var original = Filled<T>();
        var written = JsonSerializer.SerializeToUtf8Bytes(original, Json);
        var read = type.Read(Parse(written));
        Assert.Equal(JsonSerializer.Serialize(original, Json), JsonSerializer.Serialize(read, Json));
    }

    private static void InitToModule<T>(JsonType<T> type) where T : class, new()
    {
        var original = Filled<T>();
        var written = Output.Serialize(original, type);
        var read = JsonSerializer.Deserialize<T>(written, Json)!;
        Assert.Equal(JsonSerializer.Serialize(original, Json), JsonSerializer.Serialize(read, Json));
        // Every property is on the wire, nulls included, under its camelCase name.
        foreach (var property in typeof(T).GetProperties())
        {
            Assert.Contains("\"" + JsonNamingPolicy.CamelCase.ConvertName(property.Name) + "\":", written);
        }
    }

    private static JsonObject Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    private static JsonObject Parse(byte[] utf8) => (JsonObject)JsonReader.Parse(utf8)!;

    /// <summary>An instance whose every property differs from its default, nested objects and lists included.</summary>
    private static T Filled<T>() where T : class, new() => (T)Fill(typeof(T), 0);

    private static object Fill(Type type, int seed)
    {
        var instance = Activator.CreateInstance(type)!;
        var n = seed;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            n++;
            property.SetValue(instance, ValueFor(property.PropertyType, property.GetValue(instance), property.Name, n));
        }
        return instance;
    }

    private static object? ValueFor(Type type, object? current, string name, int n)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null) type = nullable;
        if (type == typeof(string)) return $"{name}-{n}";
        if (type == typeof(bool)) return !(current as bool? ?? false);
        if (type == typeof(int)) return 1000 + n;
        if (type == typeof(uint)) return 3_000_000_000U + (uint)n;
        if (type == typeof(long)) return 5_000_000_000L + n;
        if (type == typeof(ulong)) return 18_000_000_000_000_000_000UL + (ulong)n;
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddSeconds(n).AddTicks(1234567);
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(type)!;
            if (item.IsEnum)
            {
                foreach (var value in Enum.GetValues(item)) list.Add(value);
            }
            else
            {
                list.Add(ValueFor(item, null, name + "0", n * 10));
                list.Add(ValueFor(item, null, name + "1", n * 10 + 1));
            }
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return new Dictionary<string, string> { [$"K{n}"] = $"v{n}", ["PATH"] = "/x:/y" };
        }
        if (type.IsClass) return Fill(type, n * 100);
        throw new InvalidOperationException($"No test value for {type.Name} ({name}): teach ValueFor the new type.");
    }
}
