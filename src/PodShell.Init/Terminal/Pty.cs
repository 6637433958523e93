using System.Globalization;
using PodShell.Init.Syscalls;

namespace PodShell.Init.Terminal;

/// <summary>
/// A pseudo-terminal of the container's own devpts instance: opened through the container's /dev/ptmx after joining
/// its mount namespace, so the slave is a /dev/pts/N inside the container and owned by the user who opened it
/// (the exec'd user, as under docker exec). The node's terminals are never involved.
/// </summary>
internal sealed unsafe class Pty
{
    private Pty(int master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
    }

    /// <summary>The master side, non-blocking and close-on-exec: only podshell-init relays through it.</summary>
    public int Master { get; }

    /// <summary>The slave's path in the container ("/dev/pts/N"), opened by the exec'd process as its terminal.</summary>
    public string SlavePath { get; }

    public static Pty Open(int columns, int rows)
    {
        int master = Fd.Open("/dev/ptmx", Flags.O_RDWR | Flags.O_NOCTTY | Flags.O_NONBLOCK);
        try
        {
            int unlock = 0;
            Check.Ok(Libc.ioctl(master, Flags.TIOCSPTLCK, &unlock), "ioctl(TIOCSPTLCK)", "/dev/ptmx");
            int number;
            Check.Ok(Libc.ioctl(master, Flags.TIOCGPTN, &number), "ioctl(TIOCGPTN)", "/dev/ptmx");
            var pty = new Pty(master, "/dev/pts/" + number.ToString(CultureInfo.InvariantCulture));
            pty.Resize(columns, rows);
            return pty;
        }
        catch
        {
            Libc.close(master);
            throw;
        }
    }

    /// <summary>TIOCSWINSZ on the master: the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public void Resize(int columns, int rows)
    {
        if (columns <= 0 || rows <= 0) return;
        ushort* size = stackalloc ushort[4];
        size[0] = (ushort)rows;
        size[1] = (ushort)columns;
        size[2] = 0;
        size[3] = 0;
        Libc.ioctl(Master, Flags.TIOCSWINSZ, size);
    }
}
