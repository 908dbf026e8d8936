using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// The frame every organ is placed in, for one patient: body coordinates in mm (x toward the
/// patient's left, y toward the back, z up; z = 0 at the top of the sacrum, as LPS world axes but
/// with a fixed origin), the spine, the landmarks below it (hips, knees) and above it (skull), and
/// the shared surfaces organs lean on: the rib cage's curve, the trunk's outline without and with
/// its fat, and the diaphragm. Sizes are adult averages scaled by the patient's variation.
/// </summary>
public sealed class BodyPlan
{
    private readonly Pchip _domeLeftBlend;

    public BodyPlan(PatientVariation v, ref PhantomRandom r)
    {
        Variation = v;
        S = v.HeightScale;
        W = v.WidthScale;
        D = v.DepthScale;
        Spine = new SpineLayout(v, ref r);

        ZHip = -95 * S;
        ZCrotch = ZHip - 80 * S;
        ZKnee = ZHip - 440 * S;
        ZBottom = ZKnee - 60 * S;
        ZC1Top = Spine.Cervical(1).ZTop;
        HipCentreY = -22 * D;
        HipHalfWidth = 88 * W;
        FemoralHeadRadius = 23.5 * (W + S) / 2;
        PubisY = -72 * D;
        SacrumTopY = Spine.YAt(0) + 4 * D;

        // The cranium: an ellipsoid tilted forehead-up, lowered until its floor sits just above
        // C1 where the canal passes through (the foramen magnum).
        SkullRadii = new Vec3(72 * (1 + (W - 1) / 2), 92 * (1 + (D - 1) / 2), 70 * S);
        SkullOrientation = Shapes.Rotation.AboutX(-0.25);
        var c1 = Spine.Cervical(1);
        var trial = new Vec3(0, c1.Y - 14 * D, ZC1Top + 74 * S);
        double floor = LowestSurfaceZ(new Ellipsoid(trial, SkullRadii, SkullOrientation), 0, c1.CanalY, trial.Z);
        SkullCentre = trial with { Z = trial.Z + (ZC1Top + 3 * S - floor) };
        ZVertex = SkullCentre.Z + new Ellipsoid(SkullCentre, SkullRadii, SkullOrientation).Bounds.Max.Z - SkullCentre.Z;

        RibCage = BuildRibCage();
        LeanTrunk = BuildLeanTrunk();
        SkinTrunk = new Loft(LeanTrunkFrames.Select(f => Grow(f, FatAt(f.Z))));

        DomeRightTop = Spine.Thoracic(10).ZTop + r.Uniform(-8, 8) * S;
        DomeLeftTop = DomeRightTop - r.Uniform(8, 22) * S;
        _domeLeftBlend = new Pchip([-30, 30], [0, 1]);
        DomeFloor = Spine.Lumbar(2).ZTop;
    }

    public PatientVariation Variation { get; }
    public SpineLayout Spine { get; }

    /// <summary>Vertical, left–right and front–back scale of the patient.</summary>
    public double S { get; }
    public double W { get; }
    public double D { get; }

    public double ZHip { get; }
    public double ZCrotch { get; }
    public double ZKnee { get; }
    public double ZBottom { get; }
    public double ZC1Top { get; }
    public double ZVertex { get; }
    public double HipCentreY { get; }
    public double HipHalfWidth { get; }
    public double FemoralHeadRadius { get; }
    public double PubisY { get; }
    public double SacrumTopY { get; }
    public Vec3 SkullCentre { get; }
    public Vec3 SkullRadii { get; }
    public Mat3 SkullOrientation { get; }

    /// <summary>The outer surface of the cranium.</summary>
    public Ellipsoid Skull => new(SkullCentre, SkullRadii, SkullOrientation);

    /// <summary>The lowest z at which the vertical line through (x, y) is inside the shape, found by
    /// bisection downward from a height known to be inside.</summary>
    public static double LowestSurfaceZ(Shape shape, double x, double y, double zInside)
    {
        double lo = shape.Bounds.Min.Z - 1, hi = zInside;
        for (int k = 0; k < 60; k++)
        {
            double mid = (lo + hi) / 2;
            bool inside = shape.At(mid)?.Distance(x, y) < 0;
            if (inside) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>Centre of the femoral head on a side (+1 left, −1 right).</summary>
    public Vec3 HipCentre(int side) => new(side * HipHalfWidth, HipCentreY, ZHip);

    /// <summary>The curve the ribs' centre lines follow: at each height an ellipse centred on the
    /// midline whose back reaches just behind the transverse processes and whose front reaches
    /// the sternum (from T1 down to L4, where the lowest ribs end).</summary>
    public Loft RibCage { get; }

    /// <summary>The trunk without subcutaneous fat (the outer surface of the muscles).</summary>
    public Loft LeanTrunk { get; }

    /// <summary>The trunk's skin.</summary>
    public Loft SkinTrunk { get; }

    public double DomeRightTop { get; }
    public double DomeLeftTop { get; }

    /// <summary>The lowest the diaphragm reaches (its posterior recesses).</summary>
    public double DomeFloor { get; }

    private List<LoftFrame> LeanTrunkFrames { get; } = [];

    /// <summary>Height of the diaphragm at (x, y): two domes, the right one higher, sloping down to
    /// the front and more steeply to the back (the posterior recesses), meeting under the heart.</summary>
    public double Dome(double x, double y)
    {
        double top = DomeRightTop + (DomeLeftTop - DomeRightTop) * _domeLeftBlend[x];
        var rib = RibCage.Frame(DomeRightTop);
        double y0 = rib.Cy - 0.1 * rib.BAnt;
        double ux = (Math.Abs(x) - 55 * W) / (80 * W);
        double uy = (y - y0) / (y < y0 ? 95 * D : 80 * D);
        return Math.Max(DomeFloor, top - 58 * S * (ux * ux + uy * uy));
    }

    /// <summary>Subcutaneous fat thickness at height z: most over the abdomen and hips.</summary>
    public double FatAt(double z)
    {
        double f = Variation.FatMm;
        double t8 = Spine.Thoracic(8).ZCentre, t2 = Spine.Thoracic(2).ZCentre, c5 = Spine.Cervical(5).ZCentre;
        double factor = z > c5 ? 0.35
            : z > t2 ? 0.5
            : z > t8 ? 0.6
            : z > Spine.Thoracic(12).ZCentre ? 0.8
            : z > ZCrotch ? 1.0
            : 0.8;
        return f * factor;
    }

    /// <summary>A cross-section grown by t mm of fat, more at the front of the belly.</summary>
    public LoftFrame Grow(LoftFrame f, double t)
    {
        bool belly = f.Z < Spine.Thoracic(10).ZCentre && f.Z > ZHip;
        return f with { A = f.A + t, BAnt = f.BAnt + t * (belly ? 1.5 : 1.0), BPost = f.BPost + t };
    }

    private Loft BuildRibCage()
    {
        var sp = Spine;
        var frames = new List<LoftFrame>();
        void Add(double z, double a, double depth)
        {
            double yPost = sp.YAt(z) + 46 * D;
            double b = depth * D / 2;
            frames.Add(new LoftFrame(z, 0, yPost - b, a * W, b, b));
        }
        Add(sp.Thoracic(1).ZTop + 8 * S, 45, 62);
        Add(sp.Thoracic(1).ZCentre, 62, 80);
        Add(sp.Thoracic(2).ZCentre, 86, 108);
        Add(sp.Thoracic(3).ZCentre, 101, 132);
        Add(sp.Thoracic(4).ZCentre, 112, 150);
        Add(sp.Thoracic(5).ZCentre, 119, 162);
        Add(sp.Thoracic(6).ZCentre, 125, 172);
        Add(sp.Thoracic(8).ZCentre, 131, 184);
        Add(sp.Thoracic(10).ZCentre, 133, 190);
        Add(sp.Thoracic(12).ZCentre, 131, 190);
        Add(sp.Lumbar(2).ZCentre, 127, 184);
        Add(sp.Lumbar(4).ZCentre, 120, 174);
        return new Loft(frames);
    }

    private Loft BuildLeanTrunk()
    {
        var sp = Spine;
        var f = LeanTrunkFrames;
        void Add(double z, double a, double cy, double bAnt, double bPost) => f.Add(new LoftFrame(z, 0, cy * D, a * W, bAnt * D, bPost * D));
        // Pelvis and abdomen.
        Add(ZCrotch, 135, 12, 80, 80);
        Add(ZHip - 40 * S, 155, 10, 96, 95);
        Add(ZHip, 160, 8, 102, 100);
        Add(-30 * S, 158, 8, 100, 95);
        Add(sp.Lumbar(4).ZCentre, 150, 5, 100, 85);
        Add(sp.Lumbar(3).ZCentre, 142, 3, 100, 83);
        Add(sp.Lumbar(1).ZCentre, 146, 0, 102, 90);
        // The chest follows the rib cage: muscle over the ribs, the back muscles behind them.
        for (int n = 12; n >= 4; n -= 2)
        {
            double z = sp.Thoracic(n).ZCentre;
            var rib = RibCage.Frame(z);
            f.Add(new LoftFrame(z, 0, rib.Cy, rib.A + 20 * W, rib.BAnt + 14 * D, rib.BPost + 28 * D));
        }
        // Shoulders (the deltoids over the humeral heads), then the trapezius slope to the neck.
        var t3 = RibCage.Frame(sp.Thoracic(3).ZCentre);
        f.Add(new LoftFrame(sp.Thoracic(3).ZCentre, 0, t3.Cy, 152 * W, t3.BAnt + 16 * D, t3.BPost + 30 * D));
        var t2 = RibCage.Frame(sp.Thoracic(2).ZCentre);
        f.Add(new LoftFrame(sp.Thoracic(2).ZCentre, 0, t2.Cy, 186 * W, t2.BAnt + 22 * D, t2.BPost + 30 * D));
        var t1 = RibCage.Frame(sp.Thoracic(1).ZCentre);
        f.Add(new LoftFrame(sp.Thoracic(1).ZTop, 0, t1.Cy, 176 * W, t1.BAnt + 22 * D, t1.BPost + 30 * D));
        double yc7 = sp.YAt(sp.Cervical(7).ZCentre);
        f.Add(new LoftFrame(sp.Cervical(7).ZCentre, 0, yc7 - 4 * D, 128 * W, 66 * D, 70 * D));
        f.Add(new LoftFrame(sp.Cervical(6).ZTop, 0, yc7 - 8 * D, 86 * W, 58 * D, 72 * D));
        foreach (int n in new[] { 4, 3, 1 })
        {
            var c = sp.Cervical(n);
            double z = n == 1 ? c.ZTop + 12 * S : c.ZCentre;
            // Behind the cervical spine lie the thick nuchal muscles, flush with the back of the skull.
            f.Add(new LoftFrame(z, 0, sp.YAt(c.ZCentre) - 8 * D, (n == 4 ? 62 : 58) * W, 54 * D, 76 * D));
        }
        return new Loft(f);
    }
}
