using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PodShell.Images.Oci;

namespace PodShell.Images;

/// <summary>
/// What a container of an image runs, by Kubernetes' rules: a command replaces the image's Entrypoint (and
/// drops its Cmd), arguments replace its Cmd; the image's Env under the container's (the container wins);
/// WorkingDir and User when the container gives none; the image's StopSignal.
/// </summary>
public sealed record ImageRunConfig(List<string> Args, Dictionary<string, string> Environment, string? WorkingDirectory, string? User, int StopSignal)
{
    public const int DefaultStopSignal = 15;

    public static ImageRunConfig Resolve(ContainerConfig image, IReadOnlyList<string>? command, IReadOnlyList<string>? arguments,
        IReadOnlyDictionary<string, string> environment, string? workingDirectory, string? user)
    {
        var args = new List<string>();
        if (command is { Count: > 0 })
        {
            args.AddRange(command);
            if (arguments is not null) args.AddRange(arguments);
        }
        else
        {
            args.AddRange(image.Entrypoint ?? new List<string>());
            args.AddRange(arguments is { Count: > 0 } ? arguments : image.Cmd ?? new List<string>());
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in image.Env ?? new List<string>())
        {
            var equals = pair.IndexOf('=');
            if (equals > 0) env[pair[..equals]] = pair[(equals + 1)..];
        }
        foreach (var (key, value) in environment) env[key] = value;
        return new ImageRunConfig(args, env,
            string.IsNullOrEmpty(workingDirectory) ? NullIfEmpty(image.WorkingDir) : workingDirectory,
            string.IsNullOrEmpty(user) ? NullIfEmpty(image.User) : user,
            ParseSignal(image.StopSignal));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static readonly Dictionary<string, int> Signals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7, ["FPE"] = 8,
        ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15, ["STKFLT"] = 16,
        ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24,
        ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    /// <summary>SIGINT, INT, 2, SIGRTMIN+3 ... as the Linux signal number; unknown or empty: SIGTERM.</summary>
    public static int ParseSignal(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultStopSignal;
        var name = text.Trim();
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65) return number;
        if (name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) name = name[3..];
        if (Signals.TryGetValue(name, out var signal)) return signal;
        if (name.StartsWith("RTMIN", StringComparison.OrdinalIgnoreCase))
        {
            var offset = name.Length > 5 && int.TryParse(name[5..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var o) ? o : 0;
            return 34 + offset;
        }
        if (name.StartsWith("RTMAX", StringComparison.OrdinalIgnoreCase))
        {
            var offset = name.Length > 5 && int.TryParse(name[5..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var o) ? o : 0;
            return 64 + offset;
        }
        throw new FormatException($"'{text}' is not a signal name.");
    }
}
