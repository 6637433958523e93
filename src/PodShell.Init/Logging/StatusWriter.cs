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
        catch (InitException e)
        {
            ShimLog.Write("cannot write status: " + e.Message);
        }
    }
}
