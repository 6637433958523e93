using System;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PodShell.Images.Reference;

/// <summary>A content digest, "algorithm:hex" (sha256 or sha512), as the OCI image spec defines it.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    private static readonly Regex Sha256 = new("^[a-f0-9]{64}$", RegexOptions.CultureInvariant);
    private static readonly Regex Sha512 = new("^[a-f0-9]{128}$", RegexOptions.CultureInvariant);

    public override string ToString() => $"{Algorithm}:{Hex}";

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(text)) return false;
        var colon = text.IndexOf(':');
        if (colon <= 0) return false;
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var valid = algorithm switch
        {
            "sha256" => Sha256.IsMatch(hex),
            "sha512" => Sha512.IsMatch(hex),
            _ => false,
        };
        if (valid) digest = new Digest(algorithm, hex);
        return valid;
    }

    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"'{text}' is not a digest (sha256:<64 hex digits> or sha512:<128 hex digits>).");

    public static Digest Sha256Of(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant());

    public IncrementalHash NewHash() => Algorithm switch
    {
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
    };

    public bool Matches(ReadOnlySpan<byte> data)
    {
        using var hash = NewHash();
        hash.AppendData(data);
        return string.Equals(Convert.ToHexString(hash.GetHashAndReset()), Hex, StringComparison.OrdinalIgnoreCase);
    }
}
