using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CtSegLabel.Imaging.Rendering;

namespace CtSegLabel.Imaging.Tests.Rendering;

/// <summary>A strict little PNG reader for the tests (8-bit RGB, non-interlaced): checks the
/// signature, every chunk's CRC and the chunk order, inflates IDAT and undoes all five filters.</summary>
public static class PngDecoder
{
    public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        int pos = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        var order = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(crc, Crc32.Compute(png.AsSpan(pos + 4, 4 + length)));
            order.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..13].ToArray());
            }
            else if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        Assert.Equal("IHDR", order[0]);
        Assert.Equal("IEND", order[^1]);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = width * 3;
        Assert.Equal(height * (stride + 1), bytes.Length);
        var rgb = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = bytes[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = bytes[y * (stride + 1) + 1 + i];
                int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                rgb[y * stride + i] = (byte)(x + predictor);
            }
        }
        return (width, height, rgb);
    }
}
