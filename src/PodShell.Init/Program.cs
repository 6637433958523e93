using PodShell.Init.Diagnostics;
using PodShell.Init.Roles;
using PodShell.Init.Syscalls;

namespace PodShell.Init;

internal static class Program
{
    private const string Usage = """
        usage: podshell-init sandbox --config SANDBOX.json
               podshell-init shim --config CONFIG.json
               podshell-init exec --config CONFIG.json --pid PID [--workdir DIR] [--env K=V]... [--no-stdin]
                                  [--tty [--columns N --rows N]] -- CMD [ARG]...
               (internal) pause --ready-fd N | shim-run --config F --report-fd N | start --config F --sync-fd N
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Output.Error(Usage);
            return 2;
        }
        try { InheritedFds.CloseAll(args); }
        catch (InitException e)
        {
            Output.Error(e.Message);
            return 2;
        }
        Trace.Start(args[0]);
        CommandLine line;
        try { line = CommandLine.Parse(args, 1); }
        catch (InitException e)
        {
            Output.Error(e.Message);
            return 2;
        }
        int code = args[0] switch
        {
            "sandbox" => SandboxRole.Run(line),
            "pause" => PauseRole.Run(line),
            "shim" => ShimRole.Run(line),
            "shim-run" => ShimDaemon.Run(line),
            "start" => StartRole.Run(line),
            "exec" => ExecRole.Run(line),
            _ => Unknown(args[0]),
        };
        Trace.Mark("exit");
        return code;
    }

    private static int Unknown(string role)
    {
        Output.Error($"unknown role '{role}'\n{Usage}");
        return 2;
    }
}
