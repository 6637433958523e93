using System;
using System.Text;
using PodShell.Init.Syscalls;

namespace PodShell.Init;

/// <summary>One JSON line on stdout, written with write(2): no Console (and none of its threads or signal handlers).</summary>
internal static class Output
{
    public static void Json<T>(T value, JsonType<T> type, int fd = 1) => Fd.WriteAll(fd, Serialize(value, type) + "\n");

    public static string Serialize<T>(T value, JsonType<T> type)
    {
        var writer = new JsonWriter();
        type.Write(writer, value);
        return writer.ToString();
    }

    /// <summary>Parses one JSON object; FormatException when it is not valid JSON or not of the type's shape.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> json, JsonType<T> type) where T : class =>
        JsonReader.Parse(json) switch
        {
            null => null,
            JsonObject o => type.Read(o),
            _ => throw new FormatException("expected an object"),
        };

    public static void Error(string text)
    {
        try { Fd.WriteAll(2, "podshell-init: " + text + "\n"); }
        catch (InitException) { }
    }

    public static T ReadConfig<T>(string path, JsonType<T> type) where T : class
    {
        byte[] bytes;
        int fd = Fd.Open(path, Flags.O_RDONLY);
        try { bytes = Fd.ReadToEnd(fd); }
        finally { Libc.close(fd); }
        try
        {
            return Parse(bytes, type) ?? throw new InitException($"config {path} is empty");
        }
        catch (FormatException e)
        {
            throw new InitException($"config {path} is not valid JSON: {e.Message}");
        }
    }
}
