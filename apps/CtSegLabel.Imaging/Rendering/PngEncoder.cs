using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Imaging.Rendering;

/// <summary>
/// Writes 8-bit RGB PNG files (PNG 1.2: signature, IHDR, one IDAT, IEND). Each row takes whichever
/// of the five PNG filters leaves the smallest sum of absolute byte values, the heuristic the PNG
/// specification recommends; the filtered rows are zlib-compressed.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static void Write(string path, RgbImage image) => AtomicFile.Write(path, stream => Encode(image, stream));

    public static byte[] Encode(RgbImage image)
    {
        using var ms = new MemoryStream();
        Encode(image, ms);
        return ms.ToArray();
    }

    public static void Encode(RgbImage image, Stream output)
    {
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int stride = image.Width * 3;
            var previous = new byte[stride];
            var candidate = new byte[5][];
            for (int f = 0; f < 5; f++) candidate[f] = new byte[stride];
            for (int y = 0; y < image.Height; y++)
            {
                var row = image.Row(y);
                int best = 0;
                long bestScore = long.MaxValue;
                for (int f = 0; f < 5; f++)
                {
                    long score = Filter(f, row, previous, candidate[f]);
                    if (score < bestScore) { bestScore = score; best = f; }
                }
                z.WriteByte((byte)best);
                z.Write(candidate[best]);
                row.CopyTo(previous);
            }
        }
        WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND", []);
    }

    /// <summary>Applies PNG filter type f (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) with 3 bytes
    /// per pixel; returns the sum of the filtered bytes taken as signed values.</summary>
    private static long Filter(int f, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, Span<byte> result)
    {
        const int bpp = 3;
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = up[i];
            int c = i >= bpp ? up[i - bpp] : 0;
            int predictor = f switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            byte v = (byte)(row[i] - predictor);
            result[i] = v;
            score += Math.Abs((int)(sbyte)v);
        }
        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32.Append(Crc32.Compute(typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
