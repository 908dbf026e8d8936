using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// The chest's contents: mediastinal fat, the heart with its chambers, the thoracic aorta from its
/// root over the arch down to the diaphragm (continuing as the abdominal aorta to its
/// bifurcation), the great veins and pulmonary arteries, trachea and bronchi, oesophagus, thyroid,
/// and the lungs — which fill the rib cage above the diaphragm around all of these — with
/// branching vessels inside them.
/// </summary>
public static class Thorax
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var sp = p.Spine;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        double wd = (w + d) / 2;
        double AboveDome(double x, double y, double z) => p.Dome(x, y) - z;

        // Behind the vertebral bodies, between the transverse processes, lie back muscles, not
        // the chest cavity.
        var behindSpine = new ProfileShape(new Box3(new Vec3(-80, -400, sp.Thoracic(12).ZBottom), new Vec3(80, 400, sp.Thoracic(1).ZTop + 20)), z =>
        {
            var v = sp.SmoothAt(z);
            double front = sp.YAt(z) + 0.3 * v.BodyRy, back = v.CanalY + 90 * d;
            return new RoundedRectSection(0, (front + back) / 2, v.TransverseReach + 8, (back - front) / 2, 6);
        });
        var cavity = Csg.Subtract(Csg.Clip(Csg.Offset(p.RibCage, -9), AboveDome), behindSpine);
        b.Add("mediastinal fat", Layer.Cavity, cavity, t.VisceralFat, 0);

        // Heart: an ellipsoid whose long axis runs from the base (back, right, up) to the apex
        // (front, left, down), resting on the diaphragm.
        double hs = p.Variation.HeartScale;
        double zHeart = sp.Thoracic(8).ZCentre - 2 * s;
        var ribAtHeart = p.RibCage.Frame(zHeart);
        var heartCentre = new Vec3(22 * w, ribAtHeart.Cy - ribAtHeart.BAnt + 50 * d, zHeart);
        var axis = new Vec3(0.62, -0.55, -0.45).Normalized();
        var frame = Rotation.AlongAxis(axis);
        var heartEllipsoid = new Ellipsoid(heartCentre, new Vec3(57 * hs * (w + d) / 2, 42 * hs * w, 38 * hs * s), frame);
        var heart = Csg.Clip(heartEllipsoid, AboveDome);
        var heartInner = Csg.Offset(heart, -6);
        b.AddClass("heart", Layer.Organ, heart, t.Myocardium);
        void Chamber(string name, Vec3 centre, Vec3 radii, Tissue blood) =>
            b.Add(name, Layer.OrganDetail, Csg.Intersect(new Ellipsoid(centre, radii * hs, frame), heartInner), blood, null);
        Chamber("left ventricle", heartCentre + axis * 10 + new Vec3(8, 10, -4), new Vec3(32, 16, 15), t.ArterialBlood);
        Chamber("right ventricle", heartCentre + axis * 4 + new Vec3(-14, -14, 0), new Vec3(30, 13, 18), t.VenousBlood);
        Chamber("left atrium", heartCentre - axis * 32 + new Vec3(6, 14, 4), new Vec3(18, 18, 14), t.ArterialBlood);
        Chamber("right atrium", heartCentre - axis * 22 + new Vec3(-24, 2, 2), new Vec3(20, 20, 18), t.VenousBlood);

        // Aorta: root at the heart's base, ascending, arch over to the left of the spine, descending
        // in front-left of the vertebral bodies, through the hiatus at T12, bifurcating at L4.
        double Ry(double z) => sp.Nearest(z).BodyRy;
        double zHiatus = sp.Thoracic(12).ZCentre;
        double zArch = sp.Thoracic(4).ZTop - 6 * s;
        var root = heartCentre - axis * 34 + new Vec3(-8 * w, 0, 0);
        double yAsc = root.Y - 8 * d;
        double DescY(double z, double r) => sp.YAt(z) - Ry(z) - r - 4 * d;
        var aortaPts = new List<Vec3> { root, new(root.X + 2, root.Y - 5 * d, root.Z + 20 * s), new(-2 * w, yAsc, zArch - 30 * s) };
        var aortaR = new List<double> { 15, 15, 14.5 };
        var archStart = new Vec3(-2 * w, yAsc, zArch - 22 * s);
        var archEnd = new Vec3(18 * w, DescY(zArch - 22 * s, 12.5), zArch - 22 * s);
        var archTop = new Vec3(8 * w, (archStart.Y + archEnd.Y) / 2, zArch + 22 * s);
        for (int k = 0; k <= 10; k++)
        {
            double u = k / 10.0;
            aortaPts.Add((1 - u) * (1 - u) * archStart + 2 * u * (1 - u) * archTop + u * u * archEnd);
            aortaR.Add(14 - 1.5 * u);
        }
        foreach (var (z, x, r) in new[]
        {
            (sp.Thoracic(5).ZCentre, 17.0, 12.5), (sp.Thoracic(7).ZCentre, 15.0, 12.0), (sp.Thoracic(9).ZCentre, 12.0, 11.5),
            (zHiatus, 9.0, 11.0), (sp.Lumbar(1).ZCentre, 7.0, 10.5), (sp.Lumbar(2).ZCentre, 6.0, 10.0), (sp.Lumbar(3).ZCentre, 4.0, 9.5),
            (sp.Lumbar(4).ZCentre, 3.0, 9.0),
        })
        {
            aortaPts.Add(new Vec3(x * w, DescY(z, r * wd), z));
            aortaR.Add(r);
        }
        var aorta = new Tube(aortaPts, [.. aortaR.Select(r => r * wd)]);
        b.AddClass("aorta_thoracic", Layer.Organ, Csg.ClipZ(aorta, zHiatus, double.PositiveInfinity), t.ArterialBlood);
        b.AddClass("aorta_abdominal", Layer.Organ, Csg.ClipZ(aorta, double.NegativeInfinity, zHiatus - 1e-6), t.ArterialBlood);
        var bifurcation = aortaPts[^1];

        // Great vessels.
        var pulmonaryTrunk = new Tube([
            heartCentre + axis * 5 + new Vec3(-4, -30 * d, 20 * s), new(10 * w, yAsc + 4 * d, sp.Thoracic(5).ZCentre),
            new(20 * w, yAsc + 22 * d, sp.Thoracic(5).ZCentre + 2 * s)], [13 * wd, 13 * wd, 11 * wd]);
        var pulmonaryLeft = new Tube([new(20 * w, yAsc + 22 * d, sp.Thoracic(5).ZCentre + 2 * s),
            new(44 * w, sp.YAt(sp.Thoracic(5).ZCentre) - 42 * d, sp.Thoracic(5).ZCentre - 4 * s), new(60 * w, sp.YAt(sp.Thoracic(6).ZCentre) - 26 * d, sp.Thoracic(6).ZCentre)], 9 * wd);
        var pulmonaryRight = new Tube([new(12 * w, yAsc + 20 * d, sp.Thoracic(5).ZCentre),
            new(-25 * w, yAsc + 28 * d, sp.Thoracic(5).ZCentre - 6 * s), new(-55 * w, sp.YAt(sp.Thoracic(6).ZCentre) - 14 * d, sp.Thoracic(6).ZCentre)], 9 * wd);
        var raTop = heartCentre - axis * 24 + new Vec3(-28, 2, 20);
        var svc = new Tube([raTop, new(-24 * w, yAsc + 6 * d, sp.Thoracic(4).ZCentre), new(-22 * w, yAsc + 8 * d, sp.Thoracic(2).ZCentre)], 10 * wd);
        double ivcY(double z) => sp.YAt(z) - Ry(z) - 12 * d;
        var ivc = new Tube([
            new(-18 * w, ivcY(sp.Lumbar(4).ZCentre), sp.Lumbar(4).ZCentre), new(-20 * w, ivcY(sp.Lumbar(2).ZCentre), sp.Lumbar(2).ZCentre),
            new(-24 * w, ivcY(zHiatus) - 6 * d, zHiatus), new(-26 * w, ivcY(p.DomeRightTop) - 14 * d, p.DomeRightTop - 15 * s), raTop - new Vec3(0, 0, 30)],
            11 * wd);
        double zCarotid = sp.Cervical(4).ZCentre;
        foreach (int side in new[] { -1, 1 })
        {
            var carotid = new Tube([archTop + new Vec3(side * 10 * w, 0, 0), new(side * 20 * w, sp.YAt(sp.Thoracic(1).ZCentre) - 30 * d, sp.Thoracic(1).ZCentre),
                new(side * 24 * w, sp.YAt(zCarotid) - 26 * d, zCarotid), new(side * 28 * w, sp.YAt(p.ZC1Top) - 20 * d, p.ZC1Top + 8 * s)], 4.5 * wd);
            var jugular = new Tube([new(side * 10 * w, yAsc + 8 * d, sp.Thoracic(2).ZCentre), new(side * 36 * w, sp.YAt(sp.Cervical(7).ZCentre) - 24 * d, sp.Cervical(7).ZCentre),
                new(side * 38 * w, sp.YAt(zCarotid) - 20 * d, zCarotid), new(side * 36 * w, sp.YAt(p.ZC1Top) - 12 * d, p.ZC1Top + 8 * s)], 6.5 * wd);
            b.Add("carotid", Layer.Vessel, carotid, t.ArterialBlood, 0);
            b.Add("jugular", Layer.Vessel, jugular, t.VenousBlood, 0);
            var iliac = new Tube([bifurcation, new(side * 40 * w, sp.YAt(sp.LowestLumbar.ZCentre) - 34 * d, sp.LowestLumbar.ZCentre),
                new(side * 70 * w, p.HipCentreY - 10 * d, p.ZHip + 40 * s), new(side * 82 * w, p.HipCentreY - 34 * d, p.ZHip - 10 * s),
                new(side * 78 * w, p.HipCentreY - 20 * d, p.ZHip - 200 * s)], [8 * wd, 7.5 * wd, 7 * wd, 6.5 * wd, 6 * wd]);
            b.Add("iliac artery", Layer.Vessel, iliac, t.ArterialBlood, 0);
            var iliacVein = new Tube([new(-18 * w, ivcY(sp.Lumbar(4).ZCentre), sp.Lumbar(4).ZCentre), new(side * 40 * w, sp.YAt(sp.LowestLumbar.ZCentre) - 24 * d, sp.LowestLumbar.ZCentre - 12 * s),
                new(side * 68 * w, p.HipCentreY + 2 * d, p.ZHip + 35 * s), new(side * 70 * w, p.HipCentreY - 28 * d, p.ZHip - 10 * s),
                new(side * 68 * w, p.HipCentreY - 14 * d, p.ZHip - 200 * s)], [10 * wd, 9 * wd, 8.5 * wd, 8 * wd, 7 * wd]);
            b.Add("iliac vein", Layer.Vessel, iliacVein, t.VenousBlood, 0);
        }

        // Airway and oesophagus.
        double TracheaY(double z) => sp.YAt(z) - Ry(z) - 22 * d;
        double zCarina = sp.Thoracic(5).ZCentre;
        var airwayPts = new[] { p.ZC1Top + 4 * s, sp.Cervical(2).ZCentre, sp.Cervical(4).ZCentre, sp.Cervical(6).ZCentre, sp.Thoracic(1).ZCentre, sp.Thoracic(3).ZCentre, zCarina }
            .Select((z, k) => new Vec3(k >= 5 ? -3 * w : 0, TracheaY(z) + (k <= 1 ? 4 * d : 0), z)).ToArray();
        double[] airwayR = [12, 11, 9, 9, 9, 9, 9];
        var carina = airwayPts[^1];
        var bronchi = new[] { -1, 1 }.Select(side => new Tube([carina, new(side * 24 * w, carina.Y + 6 * d, carina.Z - 12 * s),
            new(side * 46 * w, carina.Y + 10 * d, carina.Z - 26 * s)], [7 * wd, 6.5 * wd, 5 * wd])).ToArray();
        b.Add("thyroid", Layer.Organ, Csg.Union([.. new[] { -1, 1 }.Select(side =>
            new Ellipsoid(new Vec3(side * 17 * w, TracheaY(sp.Cervical(7).ZCentre) - 2 * d, sp.Cervical(7).ZCentre), new Vec3(9 * w, 11 * d, 22 * s)))]),
            t.Thyroid, 0);
        var trachea = new Tube(airwayPts, [.. airwayR.Select(r => r * wd)]);
        b.Add("airway wall", Layer.Vessel, Csg.Offset(Csg.Union([trachea, .. bronchi]), 2), t.Cartilage with { Hu = t.SoftTissue.Hu + 40, CortexHu = t.SoftTissue.Hu + 40 }, 0);
        b.Add("airway", Layer.Vessel, Csg.Union([trachea, .. bronchi]), t.Air, 0);
        double OesophagusY(double z) => sp.YAt(z) - Ry(z) - 9 * d;
        // Behind the trachea, then to the right of and in front of the descending aorta, through
        // the diaphragm to the stomach on the left.
        var oesophagus = new Tube([
            new(-3 * w, OesophagusY(sp.Cervical(6).ZCentre), sp.Cervical(6).ZCentre),
            new(-3 * w, OesophagusY(sp.Thoracic(2).ZCentre), sp.Thoracic(2).ZCentre),
            new(-4 * w, OesophagusY(sp.Thoracic(6).ZCentre) - 2 * d, sp.Thoracic(6).ZCentre),
            new(-4 * w, OesophagusY(sp.Thoracic(9).ZCentre) - 26 * d, sp.Thoracic(9).ZCentre),
            new(8 * w, OesophagusY(sp.Thoracic(11).ZCentre) - 36 * d, sp.Thoracic(11).ZCentre),
            new(30 * w, OesophagusY(sp.Thoracic(11).ZCentre) - 46 * d, sp.Thoracic(11).ZCentre - 12 * s)], 8 * wd);
        b.Add("oesophagus", Layer.Vessel, oesophagus, t.SoftTissue, 0);
        b.Add("pulmonary arteries", Layer.Vessel, Csg.Union(pulmonaryTrunk, pulmonaryLeft, pulmonaryRight), t.VenousBlood, 0);
        b.Add("superior vena cava", Layer.Vessel, svc, t.VenousBlood, 0);
        b.Add("inferior vena cava", Layer.Vessel, ivc, t.VenousBlood, 0);

        // Lungs: the rib cage's interior above the diaphragm, minus the mediastinum (a midline band,
        // the heart and great vessels with a fat margin) and the spine with its transverse processes.
        var spineZone = new ProfileShape(new Box3(new Vec3(-60, -400, p.Spine.LowestLumbar.ZBottom), new Vec3(60, 400, p.ZC1Top)), z =>
        {
            var v = sp.SmoothAt(z);
            double yv = sp.YAt(z);
            var body = new EllipseSection(0, yv, v.BodyRx + 3, v.BodyRy + 3);
            var back = new RoundedRectSection(0, v.CanalY + 40 * d, v.TransverseReach + 3, 44 * d, 8);
            return new FuncSection(body.Bounds.Union(back.Bounds), (x, y) => Math.Min(body.Distance(x, y), back.Distance(x, y)));
        });
        var mediastinum = Csg.Union(Csg.Offset(heart, 5), Csg.Offset(aorta, 3), Csg.Offset(pulmonaryTrunk, 3), Csg.Offset(svc, 3), spineZone);
        var lungSpace = Csg.Clip(Csg.Offset(p.RibCage, -10), (x, y, z) => p.Dome(x, y) + 2 - z);
        foreach (int side in new[] { -1, 1 })
        {
            double half = 15 * w;
            var lung = Csg.Subtract(Csg.Clip(lungSpace, (x, _, _) => half - side * x), mediastinum);
            b.AddClass(side > 0 ? "lung_left" : "lung_right", Layer.Organ, lung, t.Lung);
            AddLungVessels(b, lung, side, new Vec3(side * 48 * w, sp.YAt(sp.Thoracic(6).ZCentre) - 22 * d, sp.Thoracic(6).ZCentre - 5 * s));
        }
    }

    /// <summary>Vessels spreading from the hilum, and many small peripheral branches scattered
    /// through the lung: the bright dots and lines that make lung parenchyma look like lung. They
    /// stay inside the lung and keep its label (lung masks include their vessels).</summary>
    private static void AddLungVessels(BodyParts b, Shape lung, int side, Vec3 hilum)
    {
        ref var r = ref b.Random;
        var blood = Tissue.Uniform((b.T.ArterialBlood.Hu + b.T.VenousBlood.Hu) / 2);
        for (int n = 0; n < 14; n++)
        {
            // Upper-lobe trunks leave the hilum upward, lower-lobe trunks downward and back.
            var tree = new List<Shape>();
            double up = n % 2 == 0 ? r.Uniform(0.1, 1.0) : -r.Uniform(0.2, 1.0);
            var dir = new Vec3(side * r.Uniform(0.3, 1.0), r.Uniform(-0.6, 0.8), up).Normalized();
            Branch(ref r, tree, hilum + new Vec3(side * r.Uniform(0, 8), r.Uniform(-8, 8), up * 15), dir, r.Uniform(4.0, 5.5), 0);
            b.Add("lung vessels", Layer.OrganDetail, Csg.Intersect(Csg.Union([.. tree]), lung), blood, null);
        }
        // Peripheral branches: short tubes at random places well inside the lung, pointing away
        // from the hilum, thinner toward the pleura.
        var box = lung.Bounds;
        for (int placed = 0, tries = 0; placed < 260 && tries < 5000; tries++)
        {
            var at = new Vec3(r.Uniform(box.Min.X, box.Max.X), r.Uniform(box.Min.Y, box.Max.Y), r.Uniform(box.Min.Z, box.Max.Z));
            double depth = -(lung.At(at.Z)?.Distance(at.X, at.Y) ?? 1);
            if (depth < 5) continue;
            var outward = (at - hilum).Normalized();
            var dir = (outward + new Vec3(r.Uniform(-0.6, 0.6), r.Uniform(-0.6, 0.6), r.Uniform(-0.6, 0.6))).Normalized();
            double length = r.Uniform(8, 22);
            double radius = Math.Clamp(0.6 + depth / 25, 0.8, 2.2) * r.Uniform(0.8, 1.2);
            b.Add("lung vessels", Layer.OrganDetail, Csg.Intersect(new Tube([at - dir * (length / 2), at + dir * (length / 2)], [radius, radius * 0.8]), lung), blood, null);
            placed++;
        }
    }

    /// <summary>One vessel from a point in a direction, splitting in two twice; radii shrink toward the periphery.</summary>
    private static void Branch(ref PhantomRandom r, List<Shape> tubes, Vec3 from, Vec3 dir, double radius, int depth)
    {
        var pts = new List<Vec3> { from };
        var radii = new List<double> { radius };
        int segments = depth == 0 ? 2 : 3;
        for (int k = 0; k < segments; k++)
        {
            dir = (dir + new Vec3(r.Uniform(-0.3, 0.3), r.Uniform(-0.3, 0.3), r.Uniform(-0.3, 0.3))).Normalized();
            pts.Add(pts[^1] + dir * r.Uniform(12, 22));
            radii.Add(Math.Max(0.8, radii[^1] * 0.86));
        }
        tubes.Add(new Tube(pts, radii));
        if (depth >= 3) return;
        for (int c = 0; c < 2; c++)
        {
            var child = (dir + new Vec3(r.Uniform(-0.8, 0.8), r.Uniform(-0.8, 0.8), r.Uniform(-0.8, 0.8))).Normalized();
            Branch(ref r, tubes, pts[r.Int(2, pts.Count - 1)], child, radii[^1] * 0.8, depth + 1);
        }
    }
}
