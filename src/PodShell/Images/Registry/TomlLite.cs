using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PodShell.Images.Registry;

/// <summary>
/// The part of TOML that registries.conf uses: tables, arrays of tables (also nested, [[registry.mirror]]),
/// strings, booleans, integers and arrays of strings, and comments.
/// </summary>
internal sealed class TomlLite
{
    public sealed class Table
    {
        public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<Table>> ArrayChildren { get; } = new(StringComparer.Ordinal);

        public string? String(string key) => Values.TryGetValue(key, out var v) ? v as string : null;
        public bool? Bool(string key) => Values.TryGetValue(key, out var v) && v is bool b ? b : null;
        public List<string>? Strings(string key) => Values.TryGetValue(key, out var v) ? v as List<string> : null;
        public IEnumerable<Table> Children(string name) => ArrayChildren.TryGetValue(name, out var list) ? list : Array.Empty<Table>();
    }

    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly Table _root = new();

    public IEnumerable<Table> ArrayTables(string name) => _root.Children(name);
    public Table? FindTable(string name) => _tables.TryGetValue(name, out var t) ? t : null;

    public static TomlLite Parse(string text, string source)
    {
        var document = new TomlLite();
        var current = document._root;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            try
            {
                if (line.StartsWith("[[", StringComparison.Ordinal))
                {
                    var name = line.TrimStart('[').TrimEnd(']').Trim();
                    current = document.AddArrayTable(name);
                }
                else if (line.StartsWith('['))
                {
                    var name = line.Trim('[', ']').Trim();
                    if (!document._tables.TryGetValue(name, out var table)) document._tables[name] = table = new Table();
                    current = table;
                }
                else
                {
                    var equals = line.IndexOf('=');
                    if (equals <= 0) throw new FormatException("expected key = value");
                    var key = Unquote(line[..equals].Trim());
                    var value = line[(equals + 1)..].Trim();
                    // Arrays may span lines.
                    while (value.StartsWith('[') && !ArrayClosed(value) && i + 1 < lines.Length) value += " " + StripComment(lines[++i]).Trim();
                    current.Values[key] = ParseValue(value);
                }
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source}, line {i + 1}: {e.Message}.", e);
            }
        }
        return document;
    }

    private Table AddArrayTable(string name)
    {
        var parts = name.Split('.');
        var parent = _root;
        for (var p = 0; p < parts.Length - 1; p++)
        {
            if (!parent.ArrayChildren.TryGetValue(parts[p], out var list) || list.Count == 0)
                throw new FormatException($"[[{name}]] comes before any [[{parts[p]}]]");
            parent = list[^1];
        }
        if (!parent.ArrayChildren.TryGetValue(parts[^1], out var children)) parent.ArrayChildren[parts[^1]] = children = new List<Table>();
        var table = new Table();
        children.Add(table);
        return table;
    }

    private static bool ArrayClosed(string value)
    {
        var depth = 0;
        var inString = false;
        foreach (var c in value)
        {
            if (c == '"') inString = !inString;
            else if (!inString && c == '[') depth++;
            else if (!inString && c == ']') depth--;
        }
        return depth == 0;
    }

    private static string StripComment(string line)
    {
        var inString = false;
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inString)
            {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) inString = false;
            }
            else if (c is '"' or '\'') { inString = true; quote = c; }
            else if (c == '#') return line[..i];
        }
        return line;
    }

    private static string Unquote(string key) => key.Length >= 2 && (key[0] == '"' || key[0] == '\'') ? ParseString(key) : key;

    private static object ParseValue(string value)
    {
        if (value == "true") return true;
        if (value == "false") return false;
        if (value.StartsWith('"') || value.StartsWith('\'')) return ParseString(value);
        if (value.StartsWith('['))
        {
            var items = new List<string>();
            var inner = value.Trim().TrimStart('[');
            inner = inner[..inner.LastIndexOf(']')];
            var i = 0;
            while (i < inner.Length)
            {
                var c = inner[i];
                if (c is '"' or '\'')
                {
                    var end = FindStringEnd(inner, i);
                    items.Add(ParseString(inner[i..(end + 1)]));
                    i = end + 1;
                }
                else if (char.IsWhiteSpace(c) || c == ',') i++;
                else throw new FormatException($"only arrays of strings are understood here: {value}");
            }
            return items;
        }
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) return number;
        throw new FormatException($"cannot read the value {value}");
    }

    private static int FindStringEnd(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\') { i++; continue; }
            if (text[i] == quote) return i;
        }
        throw new FormatException($"unterminated string: {text[start..]}");
    }

    private static string ParseString(string text)
    {
        var quote = text[0];
        var end = FindStringEnd(text, 0);
        var body = text[1..end];
        if (quote == '\'') return body;
        var builder = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 == body.Length) { builder.Append(body[i]); continue; }
            var next = body[++i];
            switch (next)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case 'u' when i + 4 < body.Length:
                    builder.Append((char)int.Parse(body.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: builder.Append(next); break;
            }
        }
        return builder.ToString();
    }
}
