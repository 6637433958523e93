using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Security;

/// <summary>
/// A container's seccomp filter built with the system's libseccomp (libseccomp2), as runc does. Compiled while the
/// node's root is still visible (libseccomp is loaded from the node, not from the container's image), loaded last
/// before the command runs (start and exec roles): after no_new_privs, or, without no_new_privs, before the
/// capabilities are dropped (loading a filter then needs CAP_SYS_ADMIN). libseccomp's program is exported once per
/// profile into the node's cache (SeccompCache) and loaded from there the way seccomp_load does (no_new_privs when the
/// container has it, then SECCOMP_SET_MODE_FILTER without flags), so every start loads the same program.
/// </summary>
internal sealed unsafe partial class Seccomp : IDisposable
{
    private const string Lib = "libseccomp.so.2";
    private const int NotFound = -1; // __NR_SCMP_ERROR
    private const int PR_SET_SECCOMP = 22, SECCOMP_MODE_FILTER = 2;
    private const uint MFD_CLOEXEC = 1;

    private byte[]? _program;
    private readonly bool _noNewPrivileges;

    private Seccomp(byte[] program, bool noNewPrivileges)
    {
        _program = program;
        _noNewPrivileges = noNewPrivileges;
    }

    /// <summary>The container's filter, ready to load (from the node's cache, else compiled now); null when it has none (Unconfined, privileged).</summary>
    public static Seccomp? Compile(ContainerSpec spec)
    {
        if (spec.Seccomp is null) return null;
        var version = Version();
        byte[]? program = SeccompCache.TryRead(spec.SeccompCacheFile, version);
        if (program is null)
        {
            program = Export(spec.Seccomp);
            SeccompCache.TryWrite(spec.SeccompCacheFile, version, program);
        }
        return new Seccomp(program, spec.NoNewPrivileges);
    }

    /// <summary>Without no_new_privs the filter goes in while CAP_SYS_ADMIN is still there: call before Credentials.Apply.</summary>
    public void LoadBeforeIdentity()
    {
        if (!_noNewPrivileges) Load();
    }

    /// <summary>With no_new_privs (the default) the filter goes in last, just before the command is exec'd or spawned.</summary>
    public void LoadLast()
    {
        if (_noNewPrivileges) Load();
    }

    private void Load()
    {
        byte[] program = _program ?? throw new InitException("seccomp: the filter was loaded already");
        if (_noNewPrivileges) Check.Ok(Libc.prctl(Flags.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "seccomp: prctl(PR_SET_NO_NEW_PRIVS)");
        fixed (byte* instructions = program)
        {
            var filter = new SocketFilterProgram { Length = (ushort)(program.Length / 8), Filter = instructions };
            Check.Ok(Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (nuint)(&filter), 0, 0), "seccomp: prctl(PR_SET_SECCOMP)");
        }
        Dispose();
    }

    public void Dispose() => _program = null;

    /// <summary>libseccomp's version (the first call into it: a missing library is reported here); a program it generated is reused only by the same version.</summary>
    private static (uint Major, uint Minor, uint Micro) Version()
    {
        ScmpVersion* version;
        try { version = seccomp_version(); }
        catch (DllNotFoundException)
        {
            throw new InitException($"seccomp: {Lib} is not installed (Debian: apt-get install libseccomp2), or run the container with -SeccompProfile Unconfined");
        }
        return version is null ? (0, 0, 0) : (version->Major, version->Minor, version->Micro);
    }

    /// <summary>The profile compiled by libseccomp and exported as the BPF program seccomp_load would load.</summary>
    private static byte[] Export(SeccompSpec spec)
    {
        nint ctx = Build(spec);
        int memfd = -1;
        try
        {
            memfd = Check.Ok(Libc.memfd_create("podshell-seccomp", MFD_CLOEXEC), "memfd_create");
            Fail(seccomp_export_bpf(ctx, memfd), "seccomp_export_bpf");
            Check.Ok((nint)Libc.lseek(memfd, 0, 0), "lseek");
            byte[] program = Fd.ReadToEnd(memfd, 64 * 1024);
            if (program.Length == 0 || program.Length % 8 != 0) throw new InitException($"seccomp: libseccomp exported a program of {program.Length} bytes");
            return program;
        }
        finally
        {
            Fd.Close(memfd);
            seccomp_release(ctx);
        }
    }

    private static nint Build(SeccompSpec spec)
    {
        nint ctx = seccomp_init(Action(spec.DefaultAction, spec.DefaultErrnoRet));
        if (ctx == 0) throw new InitException($"seccomp: seccomp_init({spec.DefaultAction}) failed");
        try
        {
            foreach (string arch in spec.Architectures) AddArchitecture(ctx, arch);
            uint defaultAction = Action(spec.DefaultAction, spec.DefaultErrnoRet);
            foreach (var rule in spec.Syscalls)
            {
                uint action = Action(rule.Action, rule.ErrnoRet);
                if (action == defaultAction) continue; // libseccomp refuses rules that repeat the default
                foreach (string name in rule.Names) AddRule(ctx, name, action, rule.Args);
            }
            return ctx;
        }
        catch
        {
            seccomp_release(ctx);
            throw;
        }
    }

    private static void AddArchitecture(nint ctx, string arch)
    {
        string name = arch.StartsWith("SCMP_ARCH_", StringComparison.Ordinal) ? arch[10..].ToLowerInvariant() : arch.ToLowerInvariant();
        uint token = seccomp_arch_resolve_name(name);
        if (token == 0) throw new InitException($"seccomp: unknown architecture '{arch}'");
        int rc = seccomp_arch_add(ctx, token);
        if (rc != -Flags.EEXIST) Fail(rc, "seccomp_arch_add", arch);
    }

    private static void AddRule(nint ctx, string name, uint action, List<SeccompArg> args)
    {
        int number = seccomp_syscall_resolve_name(name);
        if (number == NotFound) return; // a syscall this libseccomp does not know: skipped, as runc does
        // libseccomp takes one comparison per argument; a profile that compares one argument twice means "either".
        var seen = new HashSet<uint>();
        bool repeated = false;
        foreach (var arg in args) repeated |= !seen.Add(arg.Index);
        if (repeated)
        {
            foreach (var arg in args) AddRule(ctx, name, number, action, [arg]);
            return;
        }
        AddRule(ctx, name, number, action, args);
    }

    private static void AddRule(nint ctx, string name, int number, uint action, List<SeccompArg> args)
    {
        ArgCompare* compares = stackalloc ArgCompare[Math.Max(args.Count, 1)];
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].Index > 5) throw new InitException($"seccomp: {name}: argument index {args[i].Index} is above 5");
            compares[i] = new ArgCompare { Arg = args[i].Index, Op = Compare(args[i].Op), DatumA = args[i].Value, DatumB = args[i].ValueTwo };
        }
        int rc = seccomp_rule_add_array(ctx, action, number, (uint)args.Count, compares);
        if (rc != -Flags.EEXIST) Fail(rc, "seccomp_rule_add", name);
    }

    private static uint Action(string name, int? errno) => name switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => 0x00000000,
        "SCMP_ACT_KILL_PROCESS" => 0x80000000,
        "SCMP_ACT_TRAP" => 0x00030000,
        "SCMP_ACT_ERRNO" => 0x00050000 | (uint)((errno ?? Flags.EPERM) & 0xffff),
        "SCMP_ACT_TRACE" => 0x7ff00000 | (uint)((errno ?? Flags.EPERM) & 0xffff),
        "SCMP_ACT_LOG" => 0x7ffc0000,
        "SCMP_ACT_ALLOW" => 0x7fff0000,
        _ => throw new InitException($"seccomp: action '{name}' is not supported (SCMP_ACT_ALLOW, _ERRNO, _KILL, _KILL_PROCESS, _TRAP, _TRACE, _LOG)"),
    };

    private static int Compare(string op) => op switch
    {
        "SCMP_CMP_NE" => 1,
        "SCMP_CMP_LT" => 2,
        "SCMP_CMP_LE" => 3,
        "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5,
        "SCMP_CMP_GT" => 6,
        "SCMP_CMP_MASKED_EQ" => 7,
        _ => throw new InitException($"seccomp: unknown comparison '{op}'"),
    };

    private static void Fail(int rc, string call, string? target = null)
    {
        if (rc < 0) throw new SyscallException("seccomp: " + call, -rc, target);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SocketFilterProgram
    {
        public ushort Length;
        public byte* Filter;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ScmpVersion
    {
        public uint Major;
        public uint Minor;
        public uint Micro;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ArgCompare
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Lib)]
    private static partial nint seccomp_init(uint defaultAction);

    [LibraryImport(Lib)]
    private static partial void seccomp_release(nint ctx);

    [LibraryImport(Lib)]
    private static partial ScmpVersion* seccomp_version();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(Lib)]
    private static partial int seccomp_arch_add(nint ctx, uint token);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Lib)]
    private static partial int seccomp_rule_add_array(nint ctx, uint action, int syscall, uint count, ArgCompare* args);

    [LibraryImport(Lib)]
    private static partial int seccomp_export_bpf(nint ctx, int fd);
}
