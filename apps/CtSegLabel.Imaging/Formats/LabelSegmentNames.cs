using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Imaging.Formats;

/// <summary>The segment a bare label value stands for: its ground-truth class when the table has the
/// value, else "label_{value}" with a colour derived from the value alone (so every run, and every
/// file, shows the same unknown label in the same colour).</summary>
public static class LabelSegmentNames
{
    public static SegmentInfo ForValue(long value)
    {
        if (value <= 0 || value > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value, "segment label values run from 1 to 2^31-1");
        int v = (int)value;
        var known = CtClassTable.GroundTruth.FirstOrDefault(c => c.Value == v);
        if (known is not null) return new SegmentInfo(known.Name, known.Name, known.Color, v);
        string name = $"label_{v}";
        return new SegmentInfo(name, name, ColorFor(v), v);
    }

    /// <summary>Hues spaced by the golden angle keep neighbouring values far apart on the colour wheel.</summary>
    public static Rgb ColorFor(int value)
    {
        double hue = (value * 0.6180339887498949) % 1.0 * 6.0;
        const double saturation = 0.6, brightness = 0.95;
        int sector = (int)hue;
        double f = hue - sector;
        double p = brightness * (1 - saturation), q = brightness * (1 - saturation * f), t = brightness * (1 - saturation * (1 - f));
        var (r, g, b) = sector switch
        {
            0 => (brightness, t, p),
            1 => (q, brightness, p),
            2 => (p, brightness, t),
            3 => (p, q, brightness),
            4 => (t, p, brightness),
            _ => (brightness, p, q),
        };
        return new Rgb(ToByte(r), ToByte(g), ToByte(b));
    }

    private static byte ToByte(double c) => (byte)Math.Clamp(Math.Round(c * 255), 0, 255);
}
