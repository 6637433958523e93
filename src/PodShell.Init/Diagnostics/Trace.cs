using System;
using System.Text;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Diagnostics;

/// <summary>
/// Opt-in phase trace: with PODSHELL_INIT_TRACE=FILE every role appends "PID ROLE PHASE MICROSECONDS" lines
/// (CLOCK_MONOTONIC) to FILE. Unset, each mark is one static bool test.
/// </summary>
internal static unsafe class Trace
{
    public const string Variable = "PODSHELL_INIT_TRACE";
    private static string? s_file;
    private static string s_role = "";
    private static int s_pid;
    private static int s_fd = -1;

    public static bool Enabled { get; private set; }

    /// <summary>"PODSHELL_INIT_TRACE=FILE" for the environment of spawned stages, or null when tracing is off.</summary>
    public static string? EnvironmentEntry => Enabled ? Variable + "=" + s_file : null;

    public static void Start(string role)
    {
        string? file = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(file)) return;
        s_file = file;
        s_role = role;
        s_pid = Libc.getpid();
        // Kept open (close-on-exec): the start stage's marks after pivot_root still reach the file.
        s_fd = Libc.open(file, Flags.O_WRONLY | Flags.O_CREAT | Flags.O_APPEND | Flags.O_CLOEXEC, 0x1a4);
        Enabled = s_fd >= 0;
        Mark("main");
    }

    public static void Mark(string phase)
    {
        if (!Enabled) return;
        TimeSpec now;
        Libc.clock_gettime(Flags.CLOCK_MONOTONIC, &now);
        long micros = now.Seconds * 1_000_000 + now.Nanoseconds / 1000;
        byte[] line = Encoding.ASCII.GetBytes($"{s_pid} {s_role} {phase} {micros}\n");
        fixed (byte* p = line) Libc.write(s_fd, p, line.Length);
    }
}
