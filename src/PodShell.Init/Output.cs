using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PodShell.Init.Syscalls;

namespace PodShell.Init;

/// <summary>One JSON line on stdout, written with write(2): no Console (and none of its threads or signal handlers).</summary>
internal static class Output
{
    public static void Json<T>(T value, JsonTypeInfo<T> type, int fd = 1)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        Fd.WriteAll(fd, line);
    }

    public static void Error(string text)
    {
        try { Fd.WriteAll(2, "podshell-init: " + text + "\n"); }
        catch (InitException) { }
    }

    public static T ReadConfig<T>(string path, JsonTypeInfo<T> type)
    {
        byte[] bytes;
        int fd = Fd.Open(path, Flags.O_RDONLY);
        try { bytes = Fd.ReadToEnd(fd); }
        finally { Libc.close(fd); }
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InitException($"config {path} is empty");
        }
        catch (JsonException e)
        {
            throw new InitException($"config {path} is not valid JSON: {e.Message}");
        }
    }
}
