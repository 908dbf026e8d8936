using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>One key cross-section of a <see cref="Loft"/>: an egg-shaped ellipse at height Z.</summary>
public readonly record struct LoftFrame(double Z, double Cx, double Cy, double A, double BAnt, double BPost);

/// <summary>
/// A solid swept through key cross-sections along z, smoothly interpolated between them (a trunk,
/// a neck, a leg, the rib cage's curve). Outside the first and last frame it is empty.
/// </summary>
public sealed class Loft : Shape
{
    private readonly Pchip _cx, _cy, _a, _bAnt, _bPost;

    public Loft(IEnumerable<LoftFrame> frames)
    {
        var f = frames.OrderBy(k => k.Z).ToArray();
        double[] z = [.. f.Select(k => k.Z)];
        _cx = new Pchip(z, [.. f.Select(k => k.Cx)]);
        _cy = new Pchip(z, [.. f.Select(k => k.Cy)]);
        _a = new Pchip(z, [.. f.Select(k => k.A)]);
        _bAnt = new Pchip(z, [.. f.Select(k => k.BAnt)]);
        _bPost = new Pchip(z, [.. f.Select(k => k.BPost)]);
        var box = Box3.Empty;
        // Sample densely for the bounds: a monotone cubic stays within its knots, but
        // cx ± a combines two of them.
        for (int n = 0; n <= 400; n++)
        {
            double zz = z[0] + (z[^1] - z[0]) * n / 400;
            var s = Frame(zz);
            box = box.Union(new Box3(new Vec3(s.Cx - s.A, s.Cy - s.BAnt, zz), new Vec3(s.Cx + s.A, s.Cy + s.BPost, zz)));
        }
        Bounds = box;
    }

    public override Box3 Bounds { get; }

    /// <summary>The interpolated cross-section at height z (clamped to the end frames).</summary>
    public LoftFrame Frame(double z) => new(z, _cx[z], _cy[z], _a[z], _bAnt[z], _bPost[z]);

    public override Section? At(double z)
    {
        if (!Bounds.ContainsZ(z)) return null;
        var f = Frame(z);
        if (f.A <= 0 || f.BAnt <= 0 || f.BPost <= 0) return null;
        return new EggSection(f.Cx, f.Cy, f.A, f.BAnt, f.BPost);
    }
}
