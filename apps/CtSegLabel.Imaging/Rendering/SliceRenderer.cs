using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Rendering;

/// <summary>Which plane a picture shows.</summary>
public enum SliceView
{
    Axial,
    Coronal,
    Sagittal,
}

/// <summary>Grey-level window and label overlay of a rendered slice.</summary>
public sealed record RenderStyle
{
    public static readonly RenderStyle Default = new();

    /// <summary>Window width and level in HU (400/40 is the usual soft-tissue window).</summary>
    public double WindowWidth { get; init; } = 400;
    public double WindowLevel { get; init; } = 40;

    /// <summary>How strongly label colours cover the CT (0–1).</summary>
    public double LabelOpacity { get; init; } = 0.45;
}

/// <summary>
/// Renders one plane of a CT volume, windowed to grey levels and blended with label colours, in
/// radiological display convention whatever the volume's voxel order: axial with the patient's
/// right on the left of the picture and anterior at the top; coronal and sagittal with superior at
/// the top. The plane is sampled in world space on square pixels (the finest in-plane spacing), so
/// thick slices are not squashed; CT is interpolated linearly, labels by nearest voxel.
/// </summary>
public static class SliceRenderer
{
    /// <summary>Renders the plane through voxel index <paramref name="slice"/> along the view's
    /// axis: k for axial, j for coronal, i for sagittal (in an LPS or RAS volume).</summary>
    public static RgbImage Render(Volume ct, Volume? labels, SliceView view, int slice,
        IReadOnlyList<CtClass>? classes = null, RenderStyle? style = null)
    {
        style ??= RenderStyle.Default;
        var g = ct.Geometry;
        if (labels is not null && !labels.Geometry.SameGrid(g, 1e-3))
            throw new ArgumentException($"label grid ({labels.Geometry}) differs from the CT grid ({g})", nameof(labels));
        int axis = AxisOf(view, g);
        if (slice < 0 || slice >= g.Shape[axis])
            throw new ArgumentOutOfRangeException(nameof(slice), slice, $"slice must be in [0, {g.Shape[axis] - 1}] for the {view.ToString().ToLowerInvariant()} view");

        var lo = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var hi = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        foreach (var c in g.CornerCentres())
        {
            lo = new Vec3(Math.Min(lo.X, c.X), Math.Min(lo.Y, c.Y), Math.Min(lo.Z, c.Z));
            hi = new Vec3(Math.Max(hi.X, c.X), Math.Max(hi.Y, c.Y), Math.Max(hi.Z, c.Z));
        }
        var centreIndex = new Vec3((g.Shape.X - 1) / 2.0, (g.Shape.Y - 1) / 2.0, (g.Shape.Z - 1) / 2.0);
        var planeIndex = view switch
        {
            SliceView.Axial => centreIndex with { Z = slice },
            SliceView.Coronal => centreIndex with { Y = slice },
            _ => centreIndex with { X = slice },
        };
        var planePoint = g.IndexToWorld(planeIndex);
        double pixel = Math.Min(g.Spacing.X, g.Spacing.Y);

        // World position of the top-left pixel and the world step per column and per row.
        Vec3 start, stepCol, stepRow;
        double widthMm, heightMm;
        switch (view)
        {
            case SliceView.Axial:
                start = new Vec3(lo.X, lo.Y, planePoint.Z);
                (stepCol, stepRow) = (new Vec3(pixel, 0, 0), new Vec3(0, pixel, 0));
                (widthMm, heightMm) = (hi.X - lo.X, hi.Y - lo.Y);
                break;
            case SliceView.Coronal:
                start = new Vec3(lo.X, planePoint.Y, hi.Z);
                (stepCol, stepRow) = (new Vec3(pixel, 0, 0), new Vec3(0, 0, -pixel));
                (widthMm, heightMm) = (hi.X - lo.X, hi.Z - lo.Z);
                break;
            default:
                start = new Vec3(planePoint.X, lo.Y, hi.Z);
                (stepCol, stepRow) = (new Vec3(0, pixel, 0), new Vec3(0, 0, -pixel));
                (widthMm, heightMm) = (hi.Y - lo.Y, hi.Z - lo.Z);
                break;
        }
        int width = Math.Max(1, (int)Math.Round(widthMm / pixel) + 1);
        int height = Math.Max(1, (int)Math.Round(heightMm / pixel) + 1);
        var image = new RgbImage(width, height);

        var toIndex = g.IndexToWorldMatrix.Inverse();
        var index0 = toIndex * (start - g.Origin);
        var di = toIndex * stepCol;
        var dj = toIndex * stepRow;
        var colours = ColourTable(classes ?? CtClassTable.GroundTruth);
        double lowHu = style.WindowLevel - style.WindowWidth / 2;
        double alpha = Math.Clamp(style.LabelOpacity, 0, 1);

        Parallel.For(0, height, row =>
        {
            for (int col = 0; col < width; col++)
            {
                var idx = index0 + di * col + dj * row;
                double hu = Sample(ct, idx, out bool inside);
                double grey = inside ? Math.Clamp((hu - lowHu) / style.WindowWidth, 0, 1) * 255 : 0;
                double r = grey, gr = grey, b = grey;
                if (inside && labels is not null)
                {
                    int value = (int)labels.GetDouble(g.Shape.Index(Nearest(idx.X, g.Shape.X), Nearest(idx.Y, g.Shape.Y), Nearest(idx.Z, g.Shape.Z)));
                    if (value != 0)
                    {
                        var c = colours.TryGetValue(value, out var known) ? known : Fallback(value);
                        r = (1 - alpha) * grey + alpha * c.R;
                        gr = (1 - alpha) * grey + alpha * c.G;
                        b = (1 - alpha) * grey + alpha * c.B;
                    }
                }
                image.Set(col, row, (byte)Math.Round(r), (byte)Math.Round(gr), (byte)Math.Round(b));
            }
        });
        return image;
    }

    /// <summary>The voxel axis a view's slice index runs along: the axis whose direction is
    /// closest to world z (axial), y (coronal) or x (sagittal).</summary>
    public static int AxisOf(SliceView view, ImageGeometry g)
    {
        int world = view switch { SliceView.Axial => 2, SliceView.Coronal => 1, _ => 0 };
        int best = 0;
        for (int c = 1; c < 3; c++)
            if (Math.Abs(g.Direction[world, c]) > Math.Abs(g.Direction[world, best])) best = c;
        return best;
    }

    private static int Nearest(double v, int n) => Math.Clamp((int)Math.Round(v), 0, n - 1);

    /// <summary>Trilinear interpolation at a continuous voxel index; outside the volume (beyond half
    /// a voxel) there is nothing to show.</summary>
    private static double Sample(Volume v, Vec3 idx, out bool inside)
    {
        var s = v.Shape;
        inside = idx.X >= -0.5 && idx.Y >= -0.5 && idx.Z >= -0.5 && idx.X <= s.X - 0.5 && idx.Y <= s.Y - 0.5 && idx.Z <= s.Z - 0.5;
        if (!inside) return 0;
        double x = Math.Clamp(idx.X, 0, s.X - 1), y = Math.Clamp(idx.Y, 0, s.Y - 1), z = Math.Clamp(idx.Z, 0, s.Z - 1);
        int x0 = Math.Min((int)x, s.X - 1), y0 = Math.Min((int)y, s.Y - 1), z0 = Math.Min((int)z, s.Z - 1);
        int x1 = Math.Min(x0 + 1, s.X - 1), y1 = Math.Min(y0 + 1, s.Y - 1), z1 = Math.Min(z0 + 1, s.Z - 1);
        double fx = x - x0, fy = y - y0, fz = z - z0;
        double V(int i, int j, int k) => v.GetDouble(s.Index(i, j, k));
        double c00 = V(x0, y0, z0) * (1 - fx) + V(x1, y0, z0) * fx;
        double c10 = V(x0, y1, z0) * (1 - fx) + V(x1, y1, z0) * fx;
        double c01 = V(x0, y0, z1) * (1 - fx) + V(x1, y0, z1) * fx;
        double c11 = V(x0, y1, z1) * (1 - fx) + V(x1, y1, z1) * fx;
        return ((c00 * (1 - fy) + c10 * fy) * (1 - fz)) + ((c01 * (1 - fy) + c11 * fy) * fz);
    }

    private static Dictionary<int, Rgb> ColourTable(IReadOnlyList<CtClass> classes)
    {
        var d = new Dictionary<int, Rgb>();
        foreach (var c in classes) d[c.Value] = c.Color;
        return d;
    }

    /// <summary>A stable, saturated colour for a value no class names.</summary>
    private static Rgb Fallback(int value)
    {
        uint h = (uint)value * 2654435761u;
        return new Rgb((byte)(80 + (h & 0x7F)), (byte)(80 + ((h >> 8) & 0x7F)), (byte)(80 + ((h >> 16) & 0x7F)));
    }
}
