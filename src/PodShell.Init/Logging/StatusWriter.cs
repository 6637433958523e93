using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Logging;

/// <summary>status.json, replaced atomically (temp file + rename) at every change.</summary>
internal sealed class StatusWriter(string stateDirectory)
{
    private readonly string _path = stateDirectory + "/status.json";
    private readonly string _temporary = stateDirectory + "/.status.json.tmp";

    public ContainerStatus Current { get; } = new();

    public void Write()
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(Output.Serialize(Current, InitJson.Default.ContainerStatus));
        try
        {
            Fd.WriteFile(_temporary, json);
            Check.Ok(Libc.rename(_temporary, _path), "rename", _path);
        }
        catch (SyscallException e) when (e.Errno == Enospc)
        {
            Libc.unlink(_temporary);
            WriteInPlace(json);
        }
        catch (InitException e)
        {
            ShimLog.Write("cannot write status: " + e.Message);
        }
    }

    private const int Enospc = 28;

    /// <summary>
    /// A full disk has no block for a new file, but status.json has its own: rewrite it in place (no O_TRUNC, then
    /// ftruncate), so the status (and the write failure in it) stays current. Readers may see a torn file meanwhile.
    /// </summary>
    private unsafe void WriteInPlace(byte[] json)
    {
        int fd = Libc.open(_path, Flags.O_WRONLY | Flags.O_CLOEXEC, 0);
        if (fd < 0) return;
        try
        {
            Fd.WriteAll(fd, json);
            Libc.ftruncate(fd, json.Length);
        }
        catch (InitException) { }
        finally { Libc.close(fd); }
    }
}
