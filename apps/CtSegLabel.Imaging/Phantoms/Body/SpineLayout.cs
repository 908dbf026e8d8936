using CtSegLabel.Imaging.Phantoms.Shapes;

namespace CtSegLabel.Imaging.Phantoms.Body;

public enum SpineRegion
{
    Cervical,
    Thoracic,
    Lumbar,
}

/// <summary>
/// One vertebra's place and size: the slab [ZBottom, ZTop] that holds ALL of it (body, arch and
/// processes), so that the disc gap separates it from its neighbours over its whole width; the
/// body's centre depth Y and radii; the spinal canal; how far the transverse processes reach.
/// </summary>
public sealed record VertebraLevel(SpineRegion Region, int Number, double ZBottom, double ZTop, double Y,
    double BodyRx, double BodyRy, double CanalRx, double CanalRy, double TransverseReach, double SpinousLength)
{
    public double ZCentre => (ZBottom + ZTop) / 2;
    public double Height => ZTop - ZBottom;
    public string Name => Region switch { SpineRegion.Cervical => $"C{Number}", SpineRegion.Thoracic => $"T{Number}", _ => $"L{Number}" };

    /// <summary>Depth of the canal's centre: just behind the body.</summary>
    public double CanalY => Y + BodyRy + 1.5 + CanalRy;
}

/// <summary>
/// The vertebral column from C1 down to the sacrum in body coordinates (mm; x to the patient's
/// left, y to the back, z up, z = 0 at the top of the sacrum). Heights and discs follow adult
/// averages (thoracic bodies ~19→26 mm, lumbar ~27–30 mm, discs 5–8 mm: T1–L5 ≈ 50 cm), scaled
/// by the patient's height with a small per-level jitter; the column curves (cervical and lumbar
/// lordosis, thoracic kyphosis).
/// </summary>
public sealed class SpineLayout
{
    private readonly Pchip _y, _bodyRx, _bodyRy, _canalY, _reach;

    public SpineLayout(PatientVariation v, ref PhantomRandom r)
    {
        double s = v.HeightScale, w = v.WidthScale, d = v.DepthScale;
        double wd = (w + d) / 2;
        int lumbarCount = v.HasL6 ? 6 : 5;
        var levels = new List<VertebraLevel>();
        double z = 0;
        // Bottom-up: disc below each vertebra, then the vertebra.
        double[] lumbarHeight = [27, 28, 29, 29.5, 29, 29];
        double[] lumbarDisc = [7, 7.5, 7.5, 8, 8, 8];
        for (int n = lumbarCount; n >= 1; n--)
        {
            double t = (n - 1) / 4.0;
            z += lumbarDisc[n - 1] * s * r.Uniform(0.93, 1.07);
            double h = lumbarHeight[n - 1] * s * r.Uniform(0.96, 1.04);
            double reach = (n <= 3 ? 35 + 5 * (n - 1) : 45 - 2 * (n - 3)) * w;
            levels.Add(new VertebraLevel(SpineRegion.Lumbar, n, z, z + h, 0,
                (23 + 3 * Math.Min(t, 1)) * wd, (17.5 + 1.5 * Math.Min(t, 1)) * d, 11 * wd, 8.5 * d, reach, 27 * d));
            z += h;
        }
        for (int n = 12; n >= 1; n--)
        {
            double t = (n - 1) / 11.0;
            z += (n == 12 ? 6.5 : 4.5 + 1.5 * t) * s * r.Uniform(0.93, 1.07);
            double h = (19 + 7 * t) * s * r.Uniform(0.96, 1.04);
            levels.Add(new VertebraLevel(SpineRegion.Thoracic, n, z, z + h, 0,
                (14 + 7 * t) * wd, (12 + 5 * t) * d, 8 * wd, 7.5 * d, (38 - 11 * t) * w, 25 * d));
            z += h;
        }
        double[] cervicalHeight = [11, 14, 12, 12, 12.5, 13, 14];
        for (int n = 7; n >= 1; n--)
        {
            z += (n == 7 ? 5 : 4.5) * s * r.Uniform(0.93, 1.07);
            double h = cervicalHeight[n - 1] * s * r.Uniform(0.96, 1.04);
            levels.Add(new VertebraLevel(SpineRegion.Cervical, n, z, z + h, 0,
                (n == 1 ? 8 : 9 + 0.5 * (n - 2)) * wd, (n == 1 ? 6 : 8) * d, 12.5 * wd, 8.5 * d,
                (n == 1 ? 34 : 26) * w, (n == 7 ? 26 : n == 1 ? 8 : 15) * d));
            z += h;
        }
        // Depth of the body centres: a smooth S (cervical lordosis, thoracic kyphosis, lumbar lordosis).
        double[] knotZ = [0, At(levels, SpineRegion.Lumbar, 3).ZCentre, At(levels, SpineRegion.Lumbar, 1).ZCentre,
            At(levels, SpineRegion.Thoracic, 11).ZCentre, At(levels, SpineRegion.Thoracic, 7).ZCentre,
            At(levels, SpineRegion.Thoracic, 3).ZCentre, At(levels, SpineRegion.Thoracic, 1).ZCentre,
            At(levels, SpineRegion.Cervical, 5).ZCentre, At(levels, SpineRegion.Cervical, 1).ZCentre];
        double[] knotY = [26, 6, 14, 24, 40, 36, 24, 6, 12];
        _y = new Pchip(knotZ, [.. knotY.Select(y => y * d)]);
        Levels = [.. levels.Select(l => l with { Y = _y[l.ZCentre] })];
        double[] centres = [.. Levels.Select(l => l.ZCentre)];
        _bodyRx = new Pchip(centres, [.. Levels.Select(l => l.BodyRx)]);
        _bodyRy = new Pchip(centres, [.. Levels.Select(l => l.BodyRy)]);
        _canalY = new Pchip(centres, [.. Levels.Select(l => l.CanalY)]);
        _reach = new Pchip(centres, [.. Levels.Select(l => l.TransverseReach)]);
    }

    /// <summary>Every vertebra, from the lowest lumbar up to C1.</summary>
    public IReadOnlyList<VertebraLevel> Levels { get; }

    public bool HasL6 => Levels.Any(l => l is { Region: SpineRegion.Lumbar, Number: 6 });

    public VertebraLevel Thoracic(int n) => At(Levels, SpineRegion.Thoracic, n);
    public VertebraLevel Lumbar(int n) => At(Levels, SpineRegion.Lumbar, n);
    public VertebraLevel Cervical(int n) => At(Levels, SpineRegion.Cervical, n);

    /// <summary>The lowest lumbar vertebra (L5, or L6 where present).</summary>
    public VertebraLevel LowestLumbar => Levels[0];

    /// <summary>The vertebra whose centre is nearest to height z.</summary>
    public VertebraLevel Nearest(double z) => Levels.MinBy(l => Math.Abs(l.ZCentre - z))!;

    /// <summary>The column's dimensions at height z, interpolated smoothly between vertebrae (for
    /// the soft-tissue zones around the spine, which must not step from one level to the next).</summary>
    public (double BodyRx, double BodyRy, double CanalY, double TransverseReach) SmoothAt(double z) =>
        (_bodyRx[z], _bodyRy[z], _canalY[z], _reach[z]);

    /// <summary>Depth (y) of the vertebral body centres at height z.</summary>
    public double YAt(double z) => _y[z];

    private static VertebraLevel At(IEnumerable<VertebraLevel> levels, SpineRegion region, int n) =>
        levels.First(l => l.Region == region && l.Number == n);
}
