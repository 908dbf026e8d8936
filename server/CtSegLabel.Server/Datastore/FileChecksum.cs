using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CtSegLabel.Server.Datastore;

/// <summary>File digests in MONAI Label's <c>ALGO:hexdigest</c> form (what Slicer's SampleData verifies),
/// remembered per file version so a large model or image is hashed once.</summary>
public static class FileChecksum
{
    private static readonly ConcurrentDictionary<(string Path, string Algo), (long Length, DateTime Modified, string Hex)> Cache = new();

    /// <summary>Splits "SHA256:abc…" (or a bare SHA256 hex digest) into algorithm and lower-case hex.</summary>
    public static bool TryParse(string text, out string algorithm, out string hex)
    {
        int colon = text.IndexOf(':');
        algorithm = colon < 0 ? "SHA256" : text[..colon].ToUpperInvariant();
        hex = (colon < 0 ? text : text[(colon + 1)..]).ToLowerInvariant();
        return algorithm is "SHA256" or "SHA512" or "SHA1" or "MD5" && hex.Length > 0 && hex.All(char.IsAsciiHexDigit);
    }

    public static string Hex(string path, string algorithm = "SHA256")
    {
        var file = new FileInfo(path);
        var key = (file.FullName, algorithm);
        if (Cache.TryGetValue(key, out var known) && known.Length == file.Length && known.Modified == file.LastWriteTimeUtc)
            return known.Hex;
        using var stream = file.OpenRead();
        byte[] digest = algorithm switch
        {
            "SHA512" => SHA512.HashData(stream),
            "SHA1" => SHA1.HashData(stream),
            "MD5" => MD5.HashData(stream),
            _ => SHA256.HashData(stream),
        };
        string hex = Convert.ToHexStringLower(digest);
        Cache[key] = (file.Length, file.LastWriteTimeUtc, hex);
        return hex;
    }

    /// <summary>True when the file's digest equals the given checksum text.</summary>
    public static bool Matches(string path, string checksum) =>
        TryParse(checksum, out string algorithm, out string hex) && Hex(path, algorithm) == hex;
}
