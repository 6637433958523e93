using System.Runtime.InteropServices;

namespace PodShell.Native;

/// <summary>The few libc calls the module itself makes; all namespace work is podshell-init's.</summary>
internal static class Libc
{
    public const int EEXIST = 17;
    public const int ENOENT = 2;
    public const int EINVAL = 22;
    public const int EBUSY = 16;
    public const int ESRCH = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int MNT_DETACH = 2;

    [DllImport("libc", SetLastError = true)]
    public static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    public static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
