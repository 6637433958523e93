using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PodShell.Cmdlets;

/// <summary>
/// Lets -Since take a point in time (DateTime, DateTimeOffset, a date string) or a span back from now
/// (TimeSpan, or kubectl's durations: 30s, 5m, 1h30m, 2d).
/// </summary>
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex Duration = new(@"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", RegexOptions.CultureInvariant);

    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (input)
        {
            case null: return null;
            case DateTimeOffset at: return at;
            case DateTime at: return new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Local) : at);
            case TimeSpan span: return DateTimeOffset.UtcNow - span;
            case string text:
                var match = Duration.Match(text.Trim());
                if (match.Success && text.Trim().Length > 0)
                {
                    long Part(int i) => match.Groups[i].Success ? long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
                    return DateTimeOffset.UtcNow - new TimeSpan((int)Part(1), (int)Part(2), (int)Part(3), (int)Part(4));
                }
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed)) return parsed;
                throw new ArgumentTransformationMetadataException(
                    $"'{text}' is neither a time nor a duration: give a date ('2024-05-01 10:00'), a TimeSpan, or a duration such as 30s, 5m, 1h30m or 2d.");
            case short or decimal or int or long or byte or sbyte or double:
                // pwsh reads 30s as the short 30 and 2d as the decimal 2 before PodShell sees them: the unit is gone.
                throw new ArgumentTransformationMetadataException(
                    $"-Since got the number {input}: pwsh reads 30s as a short integer and 2d as a decimal, so the unit is lost. Quote the duration (-Since '30s', -Since '2d'), or use m or h (-Since 5m), a TimeSpan or a date.");
            default:
                return inputData;
        }
    }
}
