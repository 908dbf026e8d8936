namespace CtSegLabel.Imaging.Rendering;

/// <summary>An 8-bit RGB picture, rows top to bottom, three bytes per pixel.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}×{height} must be positive");
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width * 3, Width * 3);

    public void Set(int x, int y, byte r, byte g, byte b)
    {
        int o = (y * Width + x) * 3;
        Pixels[o] = r;
        Pixels[o + 1] = g;
        Pixels[o + 2] = b;
    }
}
