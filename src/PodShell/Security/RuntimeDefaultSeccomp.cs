using System.Collections.Generic;

namespace PodShell.Security;

/// <summary>
/// The syscalls Docker's and containerd's default seccomp profile (RuntimeDefault) allows, with its conditions on
/// capabilities, architectures, kernel versions and arguments; everything else fails with EPERM. The same profile as
/// data in the OCI/Docker format, so Docker profile files and this one resolve the same way (<see cref="SeccompProfile.Resolve"/>).
/// </summary>
internal static class RuntimeDefaultSeccomp
{
    public static SeccompProfile Create() => new()
    {
        DefaultAction = "SCMP_ACT_ERRNO",
        DefaultErrnoRet = 1,
        ArchMap = Architectures(),
        Syscalls = Rules(),
    };

    private static List<SeccompArchitecture> Architectures() =>
    [
        new() { Architecture = "SCMP_ARCH_X86_64", SubArchitectures = ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
        new() { Architecture = "SCMP_ARCH_AARCH64", SubArchitectures = ["SCMP_ARCH_ARM"] },
        new() { Architecture = "SCMP_ARCH_MIPS64", SubArchitectures = ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"] },
        new() { Architecture = "SCMP_ARCH_MIPS64N32", SubArchitectures = ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"] },
        new() { Architecture = "SCMP_ARCH_MIPSEL64", SubArchitectures = ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"] },
        new() { Architecture = "SCMP_ARCH_MIPSEL64N32", SubArchitectures = ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"] },
        new() { Architecture = "SCMP_ARCH_S390X", SubArchitectures = ["SCMP_ARCH_S390"] },
        new() { Architecture = "SCMP_ARCH_RISCV64", SubArchitectures = [] },
        new() { Architecture = "SCMP_ARCH_LOONGARCH64", SubArchitectures = [] },
    ];

    private static List<SeccompSyscall> Rules() =>
    [
        new()
        {
            Names =
            [
                "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget", "capset", "chdir",
                "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
                "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
                "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
                "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve",
                "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
                "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl",
                "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
                "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex", "futex_requeue",
                "futex_time64", "futex_wait", "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
                "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
                "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
                "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname",
                "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat",
                "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy",
                "io_getevents", "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit",
                "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32",
                "lgetxattr", "link", "linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr", "_llseek",
                "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack", "membarrier",
                "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2",
                "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
                "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl",
                "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at", "nanosleep",
                "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe",
                "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64",
                "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev",
                "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
                "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat", "rename", "renameat",
                "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
                "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
                "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam",
                "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
                "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
                "sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
                "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32",
                "setgid", "setgid32", "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid",
                "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit",
                "set_robust_list", "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32",
                "setxattr", "setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
                "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs",
                "statfs64", "statmount", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee",
                "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64",
                "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
                "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink",
                "unlinkat", "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4",
                "waitid", "waitpid", "write", "writev"
            ],
            Action = "SCMP_ACT_ALLOW",
        },
        new()
        {
            Names = ["process_vm_readv", "process_vm_writev", "ptrace"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { MinKernel = "4.8" },
        },
        new()
        {
            Names = ["socket"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 38, ValueTwo = 0, Op = "SCMP_CMP_LT" }],
        },
        new()
        {
            Names = ["socket"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 39, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["socket"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 40, ValueTwo = 0, Op = "SCMP_CMP_GT" }],
        },
        new()
        {
            Names = ["personality"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 0, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["personality"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 8, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["personality"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 131072, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["personality"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 131080, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["personality"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 4294967295, ValueTwo = 0, Op = "SCMP_CMP_EQ" }],
        },
        new()
        {
            Names = ["sync_file_range2", "swapcontext"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["ppc64le"] },
        },
        new()
        {
            Names = ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["arm", "arm64"] },
        },
        new()
        {
            Names = ["arch_prctl"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["amd64", "x32"] },
        },
        new()
        {
            Names = ["modify_ldt"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["amd64", "x32", "x86"] },
        },
        new()
        {
            Names = ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["s390", "s390x"] },
        },
        new()
        {
            Names = ["riscv_flush_icache"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Arches = ["riscv64"] },
        },
        new()
        {
            Names = ["open_by_handle_at"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_DAC_READ_SEARCH"] },
        },
        new()
        {
            Names =
            [
                "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
                "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount", "mount_setattr", "move_mount",
                "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog",
                "umount", "umount2", "unshare"
            ],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_ADMIN"] },
        },
        new()
        {
            Names = ["clone"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 0, Value = 2114060288, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }],
            Excludes = new() { Caps = ["CAP_SYS_ADMIN"], Arches = ["s390", "s390x"] },
        },
        new()
        {
            Names = ["clone"],
            Action = "SCMP_ACT_ALLOW",
            Args = [new() { Index = 1, Value = 2114060288, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }],
            Includes = new() { Arches = ["s390", "s390x"] },
            Excludes = new() { Caps = ["CAP_SYS_ADMIN"] },
        },
        new()
        {
            Names = ["clone3"],
            Action = "SCMP_ACT_ERRNO",
            ErrnoRet = 38,
            Excludes = new() { Caps = ["CAP_SYS_ADMIN"] },
        },
        new()
        {
            Names = ["reboot"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_BOOT"] },
        },
        new()
        {
            Names = ["chroot"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_CHROOT"] },
        },
        new()
        {
            Names = ["delete_module", "init_module", "finit_module"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_MODULE"] },
        },
        new()
        {
            Names = ["acct"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_PACCT"] },
        },
        new()
        {
            Names = ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_PTRACE"] },
        },
        new()
        {
            Names = ["iopl", "ioperm"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_RAWIO"] },
        },
        new()
        {
            Names = ["settimeofday", "stime", "clock_settime", "clock_settime64"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_TIME"] },
        },
        new()
        {
            Names = ["vhangup"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_TTY_CONFIG"] },
        },
        new()
        {
            Names = ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYS_NICE"] },
        },
        new()
        {
            Names = ["syslog"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_SYSLOG"] },
        },
        new()
        {
            Names = ["bpf"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_BPF"] },
        },
        new()
        {
            Names = ["perf_event_open"],
            Action = "SCMP_ACT_ALLOW",
            Includes = new() { Caps = ["CAP_PERFMON"] },
        },
    ];
}
