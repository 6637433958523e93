namespace PodShell.Init.Syscalls;

/// <summary>A glibc sigset_t (1024 bits) built on the stack; the kernel reads the first 64.</summary>
internal unsafe struct SignalSet
{
    private fixed ulong _bits[16];

    public static SignalSet Of(params int[] signals)
    {
        var set = new SignalSet();
        foreach (int s in signals) set._bits[0] |= 1UL << (s - 1);
        return set;
    }

    /// <summary>Every signal: used as the spawn "set to default" mask so nothing ignored leaks into children.</summary>
    public static SignalSet All()
    {
        var set = new SignalSet();
        set._bits[0] = ulong.MaxValue & ~((1UL << (Flags.SIGKILL - 1)) | (1UL << 18)); // not KILL, STOP (19)
        return set;
    }

    /// <summary>
    /// Blocks the signals in every thread and returns a signalfd that delivers them. A thread that left one unblocked
    /// would take it instead: SIGCHLD silently lost, SIGTERM killing the whole process.
    /// </summary>
    public static int BlockIntoSignalFd(params int[] signals)
    {
        var set = Of(signals);
        var before = new SignalSet();
        Check.Ok(Libc.sigprocmask(Flags.SIG_BLOCK, &set, &before), "sigprocmask");
        // Blocked from birth (spawned with them masked): the runtime's threads, created by this one before Main,
        // inherited the mask; only otherwise does the finalizer thread need its own sigprocmask (a full GC).
        if ((before._bits[0] & set._bits[0]) != set._bits[0]) FinalizerThreadMask.Block(set);
        return Check.Ok(Libc.signalfd(-1, &set, Flags.SFD_CLOEXEC), "signalfd");
    }

    /// <summary>Reads one signal number from a signalfd (blocking); 0 when interrupted.</summary>
    public static int Read(int signalFd)
    {
        byte* info = stackalloc byte[128];
        nint n = Libc.read(signalFd, info, 128);
        return n < 128 ? 0 : *(int*)info;
    }
}

/// <summary>
/// The runtime's only other thread is the finalizer thread, started before Main: a finalizer runs there, so an object
/// whose finalizer calls sigprocmask blocks the signals in that thread too.
/// </summary>
internal sealed unsafe class FinalizerThreadMask
{
    private readonly SignalSet _set;

    private FinalizerThreadMask(SignalSet set) => _set = set;

    ~FinalizerThreadMask()
    {
        var set = _set;
        Libc.sigprocmask(Flags.SIG_BLOCK, &set, null);
    }

    public static void Block(SignalSet set)
    {
        Create(set);
        System.GC.Collect();
        System.GC.WaitForPendingFinalizers();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Create(SignalSet set) => _ = new FinalizerThreadMask(set);
}
