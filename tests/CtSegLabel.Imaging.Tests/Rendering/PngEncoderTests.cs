using CtSegLabel.Imaging.Rendering;

namespace CtSegLabel.Imaging.Tests.Rendering;

public class PngEncoderTests
{
    [Fact]
    public void Crc32MatchesTheCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Append(Crc32.Compute("1234"u8), "56789"u8));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(200, 3)]
    public void EncodedPixelsDecodeBackExactly(int width, int height)
    {
        // Flat areas, gradients and noise, so every filter type gets chosen somewhere.
        var image = new RgbImage(width, height);
        var random = new Random(width * 31 + height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                byte r = (byte)(x * 7), g = (byte)(y * 13 + x), b = x < width / 3 ? (byte)200 : (byte)random.Next(256);
                image.Set(x, y, r, g, b);
            }
        var png = PngEncoder.Encode(image);
        var (w, h, rgb) = PngDecoder.Decode(png);
        Assert.Equal((width, height), (w, h));
        Assert.Equal(image.Pixels, rgb);
    }

    [Fact]
    public void WritesAFileAtomically()
    {
        using var dir = new TestDir();
        var image = new RgbImage(4, 4);
        image.Set(1, 2, 10, 20, 30);
        string path = dir.File("sub/x.png");
        PngEncoder.Write(path, image);
        var (_, _, rgb) = PngDecoder.Decode(File.ReadAllBytes(path));
        int o = (2 * 4 + 1) * 3;
        Assert.Equal(new byte[] { 10, 20, 30 }, rgb[o..(o + 3)]);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
