using System;
using System.Collections.Generic;
using System.Globalization;
using PodShell.Init.Syscalls;

namespace PodShell.Init;

/// <summary>The options every role accepts: --config FILE, --pid N, --parent N, --sync-fd N, --report-fd N, --ready-fd N, --workdir DIR, --env K=V, exec's --tty/--columns/--rows/--no-stdin, -- argv.</summary>
internal sealed class CommandLine
{
    public string? Config { get; private set; }
    public int Pid { get; private set; }
    /// <summary>sandbox: the calling session's pid (--parent N), to tell whether it died before the stage tied itself to it.</summary>
    public int Parent { get; private set; }
    public int SyncFd { get; private set; } = -1;
    public int ReportFd { get; private set; } = -1;
    public int ReadyFd { get; private set; } = -1;
    public string? WorkingDirectory { get; private set; }
    public List<string> Environment { get; } = new();
    /// <summary>exec: a pty on the container side instead of the caller's pipes (--tty), its initial size (--columns, --rows).</summary>
    public bool Tty { get; private set; }
    public int Columns { get; private set; }
    public int Rows { get; private set; }
    /// <summary>exec: the command's stdin is /dev/null instead of ours (--no-stdin).</summary>
    public bool NoStdin { get; private set; }
    public List<string> Command { get; } = new();

    public static CommandLine Parse(string[] args, int start)
    {
        var line = new CommandLine();
        for (int i = start; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                for (i++; i < args.Length; i++) line.Command.Add(args[i]);
                break;
            }
            string Value() => i + 1 < args.Length ? args[++i] : throw new InitException($"option {arg} needs a value");
            int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
                : throw new InitException($"option {arg} needs a number");
            switch (arg)
            {
                case "--config": line.Config = Value(); break;
                case "--pid": line.Pid = Number(); break;
                case "--parent": line.Parent = Number(); break;
                case "--sync-fd": line.SyncFd = Number(); break;
                case "--report-fd": line.ReportFd = Number(); break;
                case "--ready-fd": line.ReadyFd = Number(); break;
                case "--workdir": line.WorkingDirectory = Value(); break;
                case "--env": line.Environment.Add(Value()); break;
                case "--tty": line.Tty = true; break;
                case "--columns": line.Columns = Number(); break;
                case "--rows": line.Rows = Number(); break;
                case "--no-stdin": line.NoStdin = true; break;
                default: throw new InitException($"unknown option '{arg}'");
            }
        }
        return line;
    }

    public string RequireConfig() => Config ?? throw new InitException("missing --config FILE");
}
