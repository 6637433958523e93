using System;
using System.IO;
using PodShell.Init.Diagnostics;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Roles;

/// <summary>
/// `shim --config FILE` in the foreground: starts the detached shim daemon (new session, stdio on /dev/null, stderr
/// appended to shim.log), waits for its report of the first start, prints it as StartResult and exits 0 when ok.
/// </summary>
internal static class ShimRole
{
    public static int Run(CommandLine line)
    {
        try
        {
            string config = Path.GetFullPath(line.RequireConfig());
            var spec = Output.ReadConfig(config, InitJson.Default.ContainerSpec);
            if (spec.StateDirectory.Length == 0) throw new InitException("stateDirectory is empty");
            Trace.Mark("config");
            string self = ProcFs.SelfExe();
            var report = Fd.Pipe();
            int shim;
            try
            {
                var options = new SpawnOptions
                {
                    Path = self,
                    Argv = [self, "shim-run", "--config", config, "--report-fd", "3"],
                    NewSession = true,
                    Blocked = ShimDaemon.Signals,
                };
                options.Open.Add((0, "/dev/null", Flags.O_RDONLY));
                options.Open.Add((1, "/dev/null", Flags.O_WRONLY));
                options.Open.Add((2, spec.StateDirectory + "/shim.log", Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND));
                options.Dup.Add((3, report.Write));
                shim = Spawner.Spawn(options);
            }
            finally { Fd.Close(report.Write); }

            byte[] answer = Fd.ReadToEnd(report.Read);
            Fd.Close(report.Read);
            Trace.Mark("report-read");
            StartResult? result = null;
            if (answer.Length > 0)
            {
                try { result = Output.Parse(answer, InitJson.Default.StartResult); }
                catch (FormatException) { }
            }
            if (result is null)
            {
                int code = Spawner.ExitCode(Spawner.Wait(shim));
                throw new InitException($"the shim exited with code {code} before reporting (see {spec.StateDirectory}/shim.log)");
            }
            // A failed first start ends the daemon: reap it here, PID 1 of this node does not.
            if (!result.Ok) Spawner.Wait(shim);
            Output.Json(result, InitJson.Default.StartResult);
            Trace.Mark("answered");
            return result.Ok ? 0 : 1;
        }
        catch (Exception failure)
        {
            var e = InitException.From(failure);
            Output.Json(new StartResult { Ok = false, Error = e.Message }, InitJson.Default.StartResult);
            return 1;
        }
    }
}
