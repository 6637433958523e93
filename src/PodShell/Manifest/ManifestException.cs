namespace PodShell.Manifest;

/// <summary>A manifest that cannot be read or applied, with where the problem is.</summary>
public sealed class ManifestException : PodShellException
{
    public ManifestException(string source, int line, int column, string? fieldPath, string problem, System.Exception? inner = null)
        : base(Describe(source, line, column, fieldPath, problem), inner)
    {
        Source = source;
        Line = line;
        Column = column;
        FieldPath = fieldPath;
        Problem = problem;
    }

    public new string Source { get; }
    public int Line { get; }
    public int Column { get; }
    public string? FieldPath { get; }
    public string Problem { get; }

    private static string Describe(string source, int line, int column, string? fieldPath, string problem)
    {
        var where = line > 0 ? $"{source}:{line}:{column}" : source;
        return fieldPath is { Length: > 0 } ? $"{where}: {fieldPath}: {problem}" : $"{where}: {problem}";
    }
}
