using System;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Engine;

/// <summary>The session's default engine: $env:PODSHELL_ENGINE (Native or Docker), else Native.</summary>
public static class EngineDefaults
{
    public const string Variable = "PODSHELL_ENGINE";

    public static PodEngineKind FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value)) return PodEngineKind.Native;
        if (Enum.TryParse<PodEngineKind>(value.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind)) return kind;
        throw new PodEngineException(ErrorIds.InvalidEngine, ErrorCategory.InvalidArgument, value,
            $"PODSHELL_ENGINE is '{value}', which names no engine.",
            $"Set it to one of {string.Join(", ", Enum.GetNames<PodEngineKind>())}, or remove it (Remove-Item Env:{Variable}).");
    }
}
