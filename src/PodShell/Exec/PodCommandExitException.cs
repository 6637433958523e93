using System;

namespace PodShell.Exec;

/// <summary>A command in a container ended with a non-zero exit code (only raised under $PSNativeCommandUseErrorActionPreference).</summary>
public sealed class PodCommandExitException : Exception
{
    public PodCommandExitException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }
}
