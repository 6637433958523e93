using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace PodShell.Exec;

/// <summary>
/// `Invoke-PodCommand ... &gt; f.gz` as pwsh 7.4 does it for a native command: the command's stdout bytes go to the
/// file unchanged. For a native command pwsh hands the process's output stream to the file; for a cmdlet, `&gt; file`
/// is an Out-File pipeline on the cmdlet's output pipe, which would write text lines. This finds that Out-File (its
/// file and -Append) so the bytes can be written to its file directly, with Out-File left to close it empty. The
/// pipe and its pipeline are not public: should a pwsh version lack them, redirection stays text (use -OutFile).
/// Like pwsh, stdout merged with stderr (2&gt;&amp;1 &gt; file) stays text.
/// </summary>
internal static class FileRedirection
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The file `&gt;` or `&gt;&gt;` sends this cmdlet's output to, or null (not redirected to a file, or unknown).</summary>
    public static (string Path, bool Append)? Target(PSCmdlet cmdlet)
    {
        var runtime = cmdlet.CommandRuntime;
        var runtimeType = runtime.GetType();
        if (runtimeType.GetProperty("ErrorMergeTo", Instance)?.GetValue(runtime) is not { } merge || merge.ToString() != "None") return null;
        var pipe = runtimeType.GetProperty("OutputPipe", Instance)?.GetValue(runtime);
        var pipeline = pipe?.GetType().GetProperty("PipelineProcessor", Instance)?.GetValue(pipe);
        if (pipeline?.GetType().GetProperty("Commands", Instance)?.GetValue(pipeline) is not System.Collections.IList { Count: 1 } commands) return null;
        var processor = commands[0];
        var outFile = processor?.GetType().GetProperty("Command", Instance)?.GetValue(processor);
        // Out-File lives in Microsoft.PowerShell.Commands.Utility, which this module does not reference: by name.
        if (outFile?.GetType().FullName != "Microsoft.PowerShell.Commands.OutFileCommand") return null;
        var type = outFile.GetType();
        var file = type.GetProperty("LiteralPath")?.GetValue(outFile) as string ?? type.GetProperty("FilePath")?.GetValue(outFile) as string;
        if (string.IsNullOrEmpty(file) || type.GetProperty("Append")?.GetValue(outFile) is not SwitchParameter append) return null;
        return (cmdlet.GetUnresolvedProviderPathFromPSPath(file), append.IsPresent);
    }

    /// <summary>The file Out-File has opened (and emptied, unless appending), opened again for the bytes.</summary>
    public static FileStream Open((string Path, bool Append) target) =>
        new(target.Path, target.Append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
}
