using System.IO.Compression;

namespace CtSegLabel.Fuzz.Mutation;

/// <summary>
/// Finds a gzip member inside an input (a .nii.gz, the payload after a NRRD header, a compressed file in
/// a multipart body) so the mutator can change the bytes BEHIND gunzip: random flips on compressed bytes
/// almost always just break the CRC, never reaching the parser that reads the inflated data.
/// </summary>
public static class GzipPayload
{
    /// <summary>The most inflated bytes worth mutating (bigger payloads are left alone).</summary>
    private const int MaxInflated = 4 << 20;

    /// <summary>Start of the first gzip member (magic 1f 8b, method 8), or -1.</summary>
    public static int Find(byte[] input)
    {
        for (int n = 0; n + 2 < input.Length; n++)
            if (input[n] == 0x1f && input[n + 1] == 0x8b && input[n + 2] == 8) return n;
        return -1;
    }

    /// <summary>Where the member starting at <paramref name="start"/> ends: at the next multipart
    /// delimiter (CRLF--) when there is one, else at the end of the input.</summary>
    public static int EndOf(byte[] input, int start)
    {
        int end = input.AsSpan(start).IndexOf("\r\n--"u8);
        return end < 0 ? input.Length : start + end;
    }

    /// <summary>Inflates input[start..end]; null when it is corrupt or too large.</summary>
    public static byte[]? Inflate(byte[] input, int start, int end)
    {
        try
        {
            using var source = new MemoryStream(input, start, end - start);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            using var result = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                result.Write(buffer, 0, n);
                if (result.Length > MaxInflated) return null;
            }
            return result.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public static byte[] Deflate(ReadOnlySpan<byte> data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var result = new MemoryStream();
        using (var gzip = new GZipStream(result, level, leaveOpen: true)) gzip.Write(data);
        return result.ToArray();
    }

    /// <summary>A gzip stream of <paramref name="zeros"/> zero bytes after <paramref name="prefix"/>: about
    /// a thousandth of its inflated size, the classic decompression bomb.</summary>
    public static byte[] Bomb(ReadOnlySpan<byte> prefix, long zeros)
    {
        using var result = new MemoryStream();
        using (var gzip = new GZipStream(result, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(prefix);
            var block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.Length)
                gzip.Write(block, 0, (int)Math.Min(left, block.Length));
        }
        return result.ToArray();
    }
}
