using System;
using System.Threading;
using PodShell.Engine;

namespace PodShell.Native.Host;

/// <summary>Runs a podshell-init role and returns its one-line JSON answer (a fake in tests answers without a kernel).</summary>
internal interface IInitRunner
{
    /// <summary>
    /// Runs the role named by the first argument; with <paramref name="detaches"/> the process stays running (the
    /// shim daemon) and its answer is complete when its stdout closes. A missing or unreadable answer is an engine error.
    /// </summary>
    T Run<T>(string[] arguments, TimeSpan timeout, CancellationToken cancel, bool detaches = false) where T : class;

    /// <summary>`podshell-init exec`: the command runs in the container whose main process is <paramref name="containerPid"/>; returns its exit code.</summary>
    int Exec(string configPath, int containerPid, ExecRequest request, IExecOutput output, CancellationToken cancel);
}
