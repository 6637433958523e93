using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using PodShell.Protocol;

namespace PodShell.Init;

/// <summary>Reads and writes one protocol type; <see cref="InitJson.Default"/> has one per type.</summary>
internal abstract class JsonType<T>
{
    public abstract T Read(JsonObject json);
    public abstract void Write(JsonWriter writer, T value);
}

/// <summary>
/// The protocol's JSON by hand (System.Text.Json's startup cost ~1 ms per process and ~1 MB of binary): what the
/// module writes is read case-insensitively (numbers also from strings, as JsonSerializerDefaults.Web does), and a
/// name or enum value this side does not know is an error, never silently defaulted (module and podshell-init ship
/// together); answers are written camelCase with every property, nulls included.
/// </summary>
internal sealed class InitJson
{
    public static readonly InitJson Default = new();

    public JsonType<SandboxSpec> SandboxSpec { get; } = new SandboxSpecJson();
    public JsonType<SandboxResult> SandboxResult { get; } = new SandboxResultJson();
    public JsonType<ContainerSpec> ContainerSpec { get; } = new ContainerSpecJson();
    public JsonType<StartResult> StartResult { get; } = new StartResultJson();
    public JsonType<ContainerStatus> ContainerStatus { get; } = new ContainerStatusJson();

    private sealed class SandboxSpecJson : JsonType<SandboxSpec>
    {
        public override SandboxSpec Read(JsonObject j)
        {
            var s = new SandboxSpec();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "statedirectory": s.StateDirectory = JsonObject.String(value)!; break;
                    case "hostname": s.Hostname = JsonObject.String(value)!; break;
                    case "hostnetwork": s.HostNetwork = JsonObject.Bool(value); break;
                    case "hostipc": s.HostIpc = JsonObject.Bool(value); break;
                    case "hostpid": s.HostPid = JsonObject.Bool(value); break;
                    case "cgroupprocs": s.CgroupProcs = JsonObject.Strings(value)!; break;
                    case "shmpath": s.ShmPath = JsonObject.String(value)!; break;
                    case "shmsizebytes": s.ShmSizeBytes = JsonObject.Number<long>(value); break;
                    case "netnspinpath": s.NetnsPinPath = JsonObject.String(value)!; break;
                    case "oomscoreadj": s.OomScoreAdj = value is null ? null : JsonObject.Number<int>(value); break;
                    case "sysctls": s.Sysctls = JsonObject.Map(value) ?? new(); break;
                    default: throw JsonObject.UnknownField("SandboxSpec", name);
                }
            }
            return s;
        }

        public override void Write(JsonWriter w, SandboxSpec v) => throw new NotSupportedException();
    }

    private sealed class SandboxResultJson : JsonType<SandboxResult>
    {
        public override SandboxResult Read(JsonObject j) => throw new NotSupportedException();

        public override void Write(JsonWriter w, SandboxResult v) => w.Begin()
            .Bool("ok", v.Ok).Number("pausePid", v.PausePid).Number("pauseStartTime", v.PauseStartTime).String("error", v.Error).End();
    }

    private sealed class ContainerSpecJson : JsonType<ContainerSpec>
    {
        public override ContainerSpec Read(JsonObject j)
        {
            var s = new ContainerSpec();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "podname": s.PodName = JsonObject.String(value)!; break;
                    case "containername": s.ContainerName = JsonObject.String(value)!; break;
                    case "statedirectory": s.StateDirectory = JsonObject.String(value)!; break;
                    case "pausepid": s.PausePid = JsonObject.Number<int>(value); break;
                    case "pausestarttime": s.PauseStartTime = JsonObject.Number<ulong>(value); break;
                    case "joinnamespaces": s.JoinNamespaces = JsonObject.Enums<SharedNamespace>(value)!; break;
                    case "newpidnamespace": s.NewPidNamespace = JsonObject.Bool(value); break;
                    case "cgroupprocs": s.CgroupProcs = JsonObject.Strings(value)!; break;
                    case "oomeventsfile": s.OomEventsFile = JsonObject.String(value); break;
                    case "oomscoreadj": s.OomScoreAdj = value is null ? null : JsonObject.Number<int>(value); break;
                    case "rootfs": s.Rootfs = value is JsonObject r ? ReadRootfs(r) : null!; break;
                    case "shmsource": s.ShmSource = JsonObject.String(value); break;
                    case "hostnamefile": s.HostnameFile = JsonObject.String(value); break;
                    case "hostsfile": s.HostsFile = JsonObject.String(value); break;
                    case "resolvconffile": s.ResolvConfFile = JsonObject.String(value); break;
                    case "args": s.Args = JsonObject.Strings(value)!; break;
                    case "environment": s.Environment = JsonObject.Map(value)!; break;
                    case "workingdirectory": s.WorkingDirectory = JsonObject.String(value)!; break;
                    case "user": s.User = JsonObject.String(value); break;
                    case "supplementalgroups": s.SupplementalGroups = JsonObject.Numbers<uint>(value) ?? new(); break;
                    case "groupfilegroups": s.GroupFileGroups = JsonObject.Bool(value); break;
                    case "restartpolicy": s.RestartPolicy = JsonObject.Enum<ShimRestartPolicy>(value); break;
                    case "backoffbasemilliseconds": s.BackoffBaseMilliseconds = JsonObject.Number<int>(value); break;
                    case "backoffmaxmilliseconds": s.BackoffMaxMilliseconds = JsonObject.Number<int>(value); break;
                    case "backoffresetmilliseconds": s.BackoffResetMilliseconds = JsonObject.Number<int>(value); break;
                    case "capabilities": s.Capabilities = JsonObject.Strings(value)!; break;
                    case "nonewprivileges": s.NoNewPrivileges = JsonObject.Bool(value); break;
                    case "maskedpaths": s.MaskedPaths = JsonObject.Strings(value)!; break;
                    case "readonlypaths": s.ReadonlyPaths = JsonObject.Strings(value)!; break;
                    case "stopsignal": s.StopSignal = JsonObject.Number<int>(value); break;
                    case "logmaxsizebytes": s.LogMaxSizeBytes = JsonObject.Number<long>(value); break;
                    case "logmaxfiles": s.LogMaxFiles = JsonObject.Number<int>(value); break;
                    case "seccomp": s.Seccomp = value is null ? null : ReadSeccomp(JsonObject.Object(value)); break;
                    case "seccompcachefile": s.SeccompCacheFile = JsonObject.String(value); break;
                    default: throw JsonObject.UnknownField("ContainerSpec", name);
                }
            }
            return s;
        }

        private static SeccompSpec ReadSeccomp(JsonObject j)
        {
            var s = new SeccompSpec();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "defaultaction": s.DefaultAction = JsonObject.String(value)!; break;
                    case "defaulterrnoret": s.DefaultErrnoRet = value is null ? null : JsonObject.Number<int>(value); break;
                    case "architectures": s.Architectures = JsonObject.Strings(value) ?? new(); break;
                    case "syscalls":
                        s.Syscalls = new();
                        if (value is null) break;
                        foreach (object? item in JsonObject.Array(value)) s.Syscalls.Add(ReadRule(JsonObject.Object(item)));
                        break;
                    default: throw JsonObject.UnknownField("SeccompSpec", name);
                }
            }
            return s;
        }

        private static SeccompRule ReadRule(JsonObject j)
        {
            var r = new SeccompRule();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "names": r.Names = JsonObject.Strings(value) ?? new(); break;
                    case "action": r.Action = JsonObject.String(value)!; break;
                    case "errnoret": r.ErrnoRet = value is null ? null : JsonObject.Number<int>(value); break;
                    case "args":
                        r.Args = new();
                        if (value is null) break;
                        foreach (object? item in JsonObject.Array(value)) r.Args.Add(ReadArg(JsonObject.Object(item)));
                        break;
                    default: throw JsonObject.UnknownField("SeccompRule", name);
                }
            }
            return r;
        }

        private static SeccompArg ReadArg(JsonObject j)
        {
            var a = new SeccompArg();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "index": a.Index = JsonObject.Number<uint>(value); break;
                    case "value": a.Value = JsonObject.Number<ulong>(value); break;
                    case "valuetwo": a.ValueTwo = JsonObject.Number<ulong>(value); break;
                    case "op": a.Op = JsonObject.String(value)!; break;
                    default: throw JsonObject.UnknownField("SeccompArg", name);
                }
            }
            return a;
        }

        private static RootfsSpec ReadRootfs(JsonObject j)
        {
            var r = new RootfsSpec();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "lowerdirs": r.LowerDirs = JsonObject.Strings(value)!; break;
                    case "readonly": r.ReadOnly = JsonObject.Bool(value); break;
                    case "binds":
                        if (value is null) { r.Binds = null!; break; }
                        var binds = new List<BindMount>();
                        foreach (object? item in JsonObject.Array(value)) binds.Add(item is JsonObject b ? ReadBind(b) : null!);
                        r.Binds = binds;
                        break;
                    default: throw JsonObject.UnknownField("RootfsSpec", name);
                }
            }
            return r;
        }

        private static BindMount ReadBind(JsonObject j)
        {
            var b = new BindMount();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "source": b.Source = JsonObject.String(value)!; break;
                    case "destination": b.Destination = JsonObject.String(value)!; break;
                    case "readonly": b.ReadOnly = JsonObject.Bool(value); break;
                    default: throw JsonObject.UnknownField("BindMount", name);
                }
            }
            return b;
        }

        public override void Write(JsonWriter w, ContainerSpec v) => throw new NotSupportedException();
    }

    private sealed class StartResultJson : JsonType<StartResult>
    {
        public override StartResult Read(JsonObject j)
        {
            var r = new StartResult();
            foreach (var (name, value) in j.Members)
            {
                switch (name.ToLowerInvariant())
                {
                    case "ok": r.Ok = JsonObject.Bool(value); break;
                    case "shimpid": r.ShimPid = JsonObject.Number<int>(value); break;
                    case "shimstarttime": r.ShimStartTime = JsonObject.Number<ulong>(value); break;
                    case "pid": r.Pid = JsonObject.Number<int>(value); break;
                    case "pidstarttime": r.PidStartTime = JsonObject.Number<ulong>(value); break;
                    case "error": r.Error = JsonObject.String(value); break;
                    case "exitcode": r.ExitCode = value is null ? null : JsonObject.Number<int>(value); break;
                    default: throw JsonObject.UnknownField("StartResult", name);
                }
            }
            return r;
        }

        public override void Write(JsonWriter w, StartResult v) => w.Begin()
            .Bool("ok", v.Ok).Number("shimPid", v.ShimPid).Number("shimStartTime", v.ShimStartTime)
            .Number("pid", v.Pid).Number("pidStartTime", v.PidStartTime).String("error", v.Error).NullableNumber("exitCode", v.ExitCode).End();
    }

    private sealed class ContainerStatusJson : JsonType<ContainerStatus>
    {
        public override ContainerStatus Read(JsonObject j) => throw new NotSupportedException();

        public override void Write(JsonWriter w, ContainerStatus v) => w.Begin()
            .String("state", v.State.ToString()).Number("pid", v.Pid).Number("pidStartTime", v.PidStartTime)
            .Number("shimPid", v.ShimPid).Number("shimStartTime", v.ShimStartTime)
            .Time("startedAt", v.StartedAt).Time("finishedAt", v.FinishedAt).NullableNumber("exitCode", v.ExitCode)
            .String("reason", v.Reason).String("message", v.Message).Number("restartCount", v.RestartCount)
            .Time("nextRestartAt", v.NextRestartAt)
            .Time("lastStartedAt", v.LastStartedAt).Time("lastFinishedAt", v.LastFinishedAt)
            .NullableNumber("lastExitCode", v.LastExitCode).String("lastReason", v.LastReason).End();
    }
}

/// <summary>A parsed JSON object: members in document order (a repeated name: the last one wins when read in order).</summary>
internal sealed class JsonObject
{
    public List<(string Name, object? Value)> Members { get; } = new();

    public static string? String(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => throw new FormatException("expected a string"),
    };

    public static JsonObject Object(object? value) => value as JsonObject ?? throw new FormatException("expected an object");

    public static bool Bool(object? value) => value is bool b ? b : throw new FormatException("expected true or false");

    public static List<object?> Array(object? value) => value as List<object?> ?? throw new FormatException("expected an array");

    public static List<string>? Strings(object? value)
    {
        if (value is null) return null;
        var list = new List<string>();
        foreach (object? item in Array(value)) list.Add(String(item)!);
        return list;
    }

    public static List<T>? Numbers<T>(object? value) where T : INumber<T>
    {
        if (value is null) return null;
        var list = new List<T>();
        foreach (object? item in Array(value)) list.Add(Number<T>(item));
        return list;
    }

    /// <summary>An object of string values (environment, sysctls).</summary>
    public static Dictionary<string, string>? Map(object? value)
    {
        if (value is null) return null;
        if (value is not JsonObject j) throw new FormatException("expected an object");
        var map = new Dictionary<string, string>();
        foreach (var (name, item) in j.Members) map[name] = String(item)!;
        return map;
    }

    /// <summary>An enum by its name, any case (JsonStringEnumConverter's names); a number or unknown name is an error.</summary>
    public static T Enum<T>(object? value) where T : struct, System.Enum
    {
        string text = String(value) ?? throw new FormatException($"expected a {typeof(T).Name} name, not null");
        if (text.Length == 0 || !char.IsAsciiLetter(text[0]) || !System.Enum.TryParse(text, ignoreCase: true, out T result))
            throw new FormatException($"'{text}' is not a {typeof(T).Name} ({string.Join(", ", System.Enum.GetNames<T>())})");
        return result;
    }

    public static List<T>? Enums<T>(object? value) where T : struct, System.Enum
    {
        if (value is null) return null;
        var list = new List<T>();
        foreach (object? item in Array(value)) list.Add(Enum<T>(item));
        return list;
    }

    public static FormatException UnknownField(string type, string name) =>
        new($"{type} has no field '{name}' (the module and podshell-init are from different builds?)");

    /// <summary>A number, or a string holding one (JsonNumberHandling.AllowReadingFromString).</summary>
    public static T Number<T>(object? value) where T : INumber<T>
    {
        string text = value switch
        {
            JsonNumber n => n.Text,
            string s => s,
            _ => throw new FormatException("expected a number"),
        };
        return T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T? result)
            ? result : throw new FormatException($"'{text}' is not a valid {typeof(T).Name}");
    }
}

internal sealed record JsonNumber(string Text);

/// <summary>A small strict JSON reader (RFC 8259) into JsonObject, List, string, JsonNumber, bool and null.</summary>
internal ref struct JsonReader
{
    private readonly ReadOnlySpan<char> _text;
    private int _at;

    private JsonReader(ReadOnlySpan<char> text)
    {
        _text = text;
        _at = 0;
    }

    public static object? Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        var reader = new JsonReader(Encoding.UTF8.GetString(utf8));
        object? value = reader.Value();
        reader.Space();
        if (reader._at != reader._text.Length) throw reader.Error("unexpected data after the value");
        return value;
    }

    private FormatException Error(string what) => new($"{what} at character {_at}");

    private void Space()
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t' or '\n' or '\r') _at++;
    }

    private char Peek()
    {
        Space();
        return _at < _text.Length ? _text[_at] : throw Error("unexpected end");
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error($"expected '{c}'");
        _at++;
    }

    private object? Value()
    {
        char c = Peek();
        switch (c)
        {
            case '{': return Object();
            case '[':
            {
                _at++;
                var list = new List<object?>();
                if (Peek() == ']') { _at++; return list; }
                while (true)
                {
                    list.Add(Value());
                    char next = Peek();
                    _at++;
                    if (next == ']') return list;
                    if (next != ',') throw Error("expected ',' or ']'");
                }
            }
            case '"': return String();
            case 't': return Literal("true", true);
            case 'f': return Literal("false", false);
            case 'n': return Literal("null", null);
            default:
                if (c == '-' || char.IsAsciiDigit(c)) return Number();
                throw Error($"unexpected '{c}'");
        }
    }

    private JsonObject Object()
    {
        _at++;
        var json = new JsonObject();
        if (Peek() == '}') { _at++; return json; }
        while (true)
        {
            if (Peek() != '"') throw Error("expected a property name");
            string name = String();
            Expect(':');
            json.Members.Add((name, Value()));
            char next = Peek();
            _at++;
            if (next == '}') return json;
            if (next != ',') throw Error("expected ',' or '}'");
        }
    }

    private object? Literal(string word, object? value)
    {
        if (!_text[_at..].StartsWith(word, StringComparison.Ordinal)) throw Error("unexpected literal");
        _at += word.Length;
        return value;
    }

    private JsonNumber Number()
    {
        int start = _at;
        if (_text[_at] == '-') _at++;
        int digits = _at;
        while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
        if (_at == digits || (_text[digits] == '0' && _at - digits > 1)) throw Error("bad number");
        if (_at < _text.Length && _text[_at] == '.')
        {
            _at++;
            int fraction = _at;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
            if (_at == fraction) throw Error("bad number");
        }
        if (_at < _text.Length && _text[_at] is 'e' or 'E')
        {
            _at++;
            if (_at < _text.Length && _text[_at] is '+' or '-') _at++;
            int exponent = _at;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
            if (_at == exponent) throw Error("bad number");
        }
        return new JsonNumber(_text[start.._at].ToString());
    }

    private string String()
    {
        _at++; // the opening quote
        var text = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length) throw Error("unterminated string");
            char c = _text[_at++];
            if (c == '"') return text.ToString();
            if (c < ' ') throw Error("control character in a string");
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            if (_at >= _text.Length) throw Error("unterminated string");
            char e = _text[_at++];
            switch (e)
            {
                case '"': text.Append('"'); break;
                case '\\': text.Append('\\'); break;
                case '/': text.Append('/'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    if (_at + 4 > _text.Length || !ushort.TryParse(_text.Slice(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                        throw Error("bad \\u escape");
                    text.Append((char)code);
                    _at += 4;
                    break;
                default: throw Error("bad escape");
            }
        }
    }
}

/// <summary>Writes one JSON object: camelCase names given by the caller, strings escaped, nulls written.</summary>
internal sealed class JsonWriter
{
    private readonly StringBuilder _text = new();
    private bool _first = true;

    public JsonWriter Begin()
    {
        _text.Append('{');
        return this;
    }

    public void End() => _text.Append('}');

    public override string ToString() => _text.ToString();

    private JsonWriter Name(string name)
    {
        if (!_first) _text.Append(',');
        _first = false;
        _text.Append('"').Append(name).Append("\":");
        return this;
    }

    public JsonWriter Bool(string name, bool value)
    {
        Name(name)._text.Append(value ? "true" : "false");
        return this;
    }

    public JsonWriter Number(string name, long value)
    {
        Name(name)._text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonWriter Number(string name, ulong value)
    {
        Name(name)._text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonWriter NullableNumber(string name, int? value)
    {
        Name(name)._text.Append(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null");
        return this;
    }

    public JsonWriter Time(string name, DateTimeOffset? value) =>
        String(name, value?.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    public JsonWriter String(string name, string? value)
    {
        Name(name);
        if (value is null)
        {
            _text.Append("null");
            return this;
        }
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < ' ') _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
        return this;
    }
}
