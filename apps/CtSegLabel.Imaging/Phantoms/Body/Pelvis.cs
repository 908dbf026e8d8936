using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// Sacrum and coccyx, the two hip bones (iliac wing, acetabulum, pubic and ischial rami), the
/// femurs (head in the acetabulum with a joint space, neck, trochanters, shaft with fatty marrow,
/// condyles), the gluteus maximus muscles and the bladder. Bones of different classes keep a gap
/// of a few millimetres (sacroiliac joint, hip joint, symphysis) as on real CT.
/// </summary>
public static class Pelvis
{
    /// <summary>Vertical extent of sacrum and coccyx below the top of S1 (mm, unscaled).</summary>
    private const double SacrumHeight = 118;

    private static readonly Pchip SacrumHalfWidth = new([0, 0.15, 0.35, 0.6, 0.8, 1], [50, 52, 42, 24, 13, 6]);
    private static readonly Pchip SacrumHalfDepth = new([0, 0.3, 0.6, 1], [18, 16, 11, 5]);

    /// <summary>The sacrum's cross-section at height z (t = 0 at the top of S1, 1 at the coccyx tip):
    /// centre depth, half-width, half-depth.</summary>
    public static (double Cy, double A, double B, double T) SacrumAt(BodyPlan p, double z)
    {
        double t = Math.Clamp(-z / (SacrumHeight * p.S), 0, 1);
        double cy = p.SacrumTopY + (2 + 45 * t - 15 * t * t) * p.D;
        return (cy, SacrumHalfWidth[t] * p.W, SacrumHalfDepth[t] * p.D, t);
    }

    public static double SacrumBottomZ(BodyPlan p) => -SacrumHeight * p.S;

    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        double wd = (w + d) / 2;

        var sacrum = new ProfileShape(new Box3(new Vec3(-60 * w, -300, SacrumBottomZ(p)), new Vec3(60 * w, 300, 0)), z =>
        {
            var (cy, a, bb, tt) = SacrumAt(p, z);
            var body = new EllipseSection(0, cy, (24 * (1 - tt) + 5) * w, bb);
            var alae = new EllipseSection(0, cy + 0.3 * bb, a, 0.62 * bb);
            var canal = new EllipseSection(0, cy + 0.45 * bb, 9 * (1 - tt) * w, 4 * d);
            bool hasCanal = tt < 0.8;
            return new FuncSection(body.Bounds.Union(alae.Bounds), (x, y) =>
            {
                double dd = Math.Min(body.Distance(x, y), alae.Distance(x, y));
                return hasCanal ? Math.Max(dd, -canal.Distance(x, y)) : dd;
            });
        });
        b.AddClass("sacrum_coccyx", Layer.Bone, sacrum, t.Bone);

        double rh = p.FemoralHeadRadius;
        foreach (int side in new[] { -1, 1 })
        {
            string sideName = side > 0 ? "left" : "right";
            var h = p.HipCentre(side);
            b.AddClass($"hip_{sideName}", Layer.Bone, HipBone(p, side, h, rh), t.Bone);

            // Femur: head, neck and trochanters in cancellous bone; the shaft with marrow.
            var proximal = Csg.Union(
                new Ellipsoid(h, new Vec3(rh, rh, rh)),
                new Tube([h, h + new Vec3(side * 36 * w, 4 * d, -28 * s)], [15 * wd, 15 * wd]),
                new Ellipsoid(h + new Vec3(side * 50 * w, 10 * d, -26 * s), new Vec3(15 * w, 20 * d, 26 * s)),
                new Ellipsoid(h + new Vec3(side * 22 * w, 18 * d, -62 * s), new Vec3(10 * w, 10 * d, 12 * s)),
                new Tube([h + new Vec3(side * 46 * w, 8 * d, -40 * s), h + new Vec3(side * 42 * w, 6 * d, -100 * s)], [16 * wd, 15 * wd]));
            var knee = new Vec3(side * 70 * w, 14 * d, p.ZKnee + 5 * s);
            var shaft = Csg.ClipZ(new Tube([h + new Vec3(side * 43 * w, 6 * d, -70 * s), knee + new Vec3(0, -2 * d, 60 * s)], [14 * wd, 13 * wd]),
                double.NegativeInfinity, h.Z - 90 * s);
            var condyles = new Ellipsoid(knee, new Vec3(38 * w, 30 * d, 30 * s));
            b.AddClass($"femur_{sideName}", Layer.Bone, Csg.Union(proximal, condyles), t.Bone);
            b.AddClass($"femur_{sideName}", Layer.Bone, shaft, t.LongBone);

            // Gluteus maximus: a thick sheet from the sacrum and iliac crest down and out to the
            // femur, behind the hip, with a fat plane around it.
            var fibres = new Vec3(side * 0.55, -0.05, -0.83);
            var glut = Csg.Intersect(
                new Ellipsoid(new Vec3(side * 80 * w, p.HipCentreY + 84 * d, p.ZHip + 18 * s), new Vec3(100 * s, 28 * d, 62 * w), Rotation.AlongAxis(fibres)),
                Csg.Offset(b.Named["lean body"], -3));
            b.Add("gluteal fascia", Layer.Organ, Csg.Offset(glut, 2.5), t.Fat, 0);
            b.AddClass($"gluteus_maximus_{sideName}", Layer.Organ, glut, t.Muscle);
        }

        // Bladder behind the symphysis; its size follows how full it is.
        double f = p.Variation.BladderFill;
        var radii = new Vec3((28 + 30 * f) * w, (20 + 24 * f) * d, (22 + 24 * f) * s);
        var bladder = new Ellipsoid(new Vec3(0, p.PubisY + 14 * d + radii.Y, p.ZHip - 22 * s + radii.Z), radii);
        b.AddClass("urinary_bladder", Layer.Organ, bladder, t.Urine);
    }

    private static Shape HipBone(BodyPlan p, int side, Vec3 h, double rh)
    {
        var (s, w, d) = (p.S, p.W, p.D);
        double wd = (w + d) / 2;
        double zCrest = p.Spine.Lumbar(4).ZCentre;
        double zRoof = p.ZHip + 25 * s;
        // Iliac wing: at each height an elliptic arc band from the sacroiliac joint round the side
        // to the anterior superior iliac spine, shrinking into the thick bone above the acetabulum.
        var wing = new ProfileShape(new Box3(new Vec3(Math.Min(side * 20, side * 160) * w, -300, zRoof), new Vec3(Math.Max(side * 20, side * 160) * w, 300, zCrest)), z =>
        {
            double u = Math.Clamp((z - zRoof) / (zCrest - zRoof), 0, 1);
            double grow = Math.Pow(u, 0.6);
            double cx = side * (82 - 14 * u) * w;
            double cy = (p.HipCentreY + 5 * d) + (p.SacrumTopY - 22 * d - p.HipCentreY - 5 * d) * u;
            double ra = (20 + 48 * grow) * w, rb = (20 + 42 * grow) * d;
            double thick = (22 - 14 * Math.Sqrt(u) + (u > 0.92 ? 3 : 0)) * wd;
            double from = -78 * Math.PI / 180, to = 104 * Math.PI / 180;
            if (side < 0) (from, to) = (Math.PI - to, Math.PI - from);
            return new ArcBandSection(cx, cy, ra, rb, thick, from, to);
        });
        // Acetabulum: a cup round the femoral head, open to the side, front and below.
        var open = new Vec3(side * 0.8, -0.25, -0.55).Normalized();
        var cup = Csg.Clip(Csg.Subtract(new Ellipsoid(h, new Vec3(rh + 10, rh + 10, rh + 10)), new Ellipsoid(h, new Vec3(rh + 2.5, rh + 2.5, rh + 2.5))),
            (x, y, z) => (new Vec3(x, y, z) - h).Dot(open) - 0.3 * rh);
        var column = new Tube([new Vec3(side * 67 * w, p.SacrumTopY + 28 * d, -25 * s), new Vec3(side * 78 * w, p.HipCentreY + 22 * d, p.ZHip + 22 * s),
            h + new Vec3(-side * 2 * w, 30 * d, 4 * s)], 13 * wd);
        var pubicRamus = new Tube([h + new Vec3(-side * 16 * w, -20 * d, -6 * s), new Vec3(side * 30 * w, p.PubisY + 8 * d, p.ZHip - 8 * s),
            new Vec3(side * 12 * w, p.PubisY, p.ZHip - 20 * s)], [10 * wd, 9.5 * wd, 9 * wd]);
        var pubicBody = new Ellipsoid(new Vec3(side * 10.5 * w, p.PubisY, p.ZHip - 26 * s), new Vec3(8 * w, 10 * d, 17 * s));
        var tuberosity = new Vec3(side * 54 * w, p.HipCentreY + 30 * d, p.ZHip - 52 * s);
        var inferiorRamus = new Tube([new Vec3(side * 12 * w, p.PubisY + 4 * d, p.ZHip - 36 * s), new Vec3(side * 34 * w, p.HipCentreY - 6 * d, p.ZHip - 58 * s),
            tuberosity], [8 * wd, 8 * wd, 10 * wd]);
        var ischium = Csg.Union(new Ellipsoid(tuberosity, new Vec3(14 * w, 18 * d, 22 * s)),
            new Tube([tuberosity, h + new Vec3(-side * 6 * w, 34 * d, -22 * s)], 12 * wd));
        return Csg.Union(wing, cup, column, pubicRamus, pubicBody, inferiorRamus, ischium);
    }
}
