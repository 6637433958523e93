using System;
using System.Collections.Generic;
using System.Threading;
using PodShell.Engine;
using PodShell.Native.Host;

namespace PodShell.Tests.Fakes;

/// <summary>podshell-init played by the test: each role answers with what the test set for its answer type.</summary>
internal sealed class FakeInitRunner : IInitRunner
{
    private readonly Dictionary<Type, Func<string[], object>> _answers = new();

    /// <summary>The argument lists the engine ran, in order.</summary>
    public List<string[]> Runs { get; } = new();

    public void Answer<T>(Func<string[], T> answer) where T : class => _answers[typeof(T)] = answer;

    /// <summary>What an exec answers: the exit code, after writing to the output as the command would.</summary>
    public Func<ExecRequest, IExecOutput, int> ExecAnswer { get; set; } = (_, _) => throw new InvalidOperationException("The fake podshell-init has no exec answer.");

    public int Exec(string configPath, int containerPid, ExecRequest request, IExecOutput output, CancellationToken cancel)
    {
        Runs.Add(new[] { "exec", "--config", configPath, "--pid", containerPid.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return ExecAnswer(request, output);
    }

    public T Run<T>(string[] arguments, TimeSpan timeout, CancellationToken cancel, bool detaches = false) where T : class
    {
        Runs.Add(arguments);
        if (!_answers.TryGetValue(typeof(T), out var answer)) throw new InvalidOperationException($"The fake podshell-init has no answer for {arguments[0]}.");
        return (T)answer(arguments);
    }
}
