using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// The abdomen: the peritoneal cavity (visceral fat) inside the abdominal wall and below the
/// diaphragm, the back muscles and psoas, bowel (colon frame and small-bowel loops with gas), and
/// the solid organs — liver under the right dome, gallbladder beneath it, spleen and stomach under
/// the left dome, pancreas across the aorta, kidneys beside the spine (the left higher) with
/// adrenals on their upper poles.
/// </summary>
public static class Abdomen
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var sp = p.Spine;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        double wd = (w + d) / 2;
        var v = p.Variation;
        double BelowDome(double x, double y, double z) => z - p.Dome(x, y);

        var cavityLoft = CavityLoft(p);
        var cavity = Csg.Clip(cavityLoft, BelowDome);
        b.Add("visceral fat", Layer.Cavity, cavity, t.VisceralFat, 0);

        // Back muscles (erector spinae, quadratus lumborum) behind and beside the lumbar spine.
        var backFrames = new[] { sp.Thoracic(11).ZCentre, sp.Lumbar(1).ZCentre, sp.Lumbar(3).ZCentre, sp.LowestLumbar.ZCentre, -30 * s }
            .Select((z, k) => new LoftFrame(z, 0, sp.YAt(z) + 44 * d, (k == 4 ? 50 : 72) * w, 34 * d, 44 * d));
        b.Add("back muscles", Layer.Cavity, new Loft(backFrames), t.Muscle, 0);
        foreach (int side in new[] { -1, 1 })
        {
            var psoas = new Tube([
                new(side * 22 * w, sp.YAt(sp.Thoracic(12).ZCentre) + 6 * d, sp.Thoracic(12).ZCentre - 5 * s),
                new(side * 34 * w, sp.YAt(sp.Lumbar(2).ZCentre) + 4 * d, sp.Lumbar(2).ZCentre),
                new(side * 44 * w, sp.YAt(sp.Lumbar(4).ZCentre) - 2 * d, sp.Lumbar(4).ZCentre),
                new(side * 56 * w, sp.YAt(sp.LowestLumbar.ZCentre) - 12 * d, sp.LowestLumbar.ZCentre - 10 * s),
                new(side * 68 * w, p.SacrumTopY - 42 * d, -40 * s),
                new(side * 76 * w, p.HipCentreY - 32 * d, p.ZHip + 15 * s),
                new(side * 70 * w, p.HipCentreY - 20 * d, p.ZHip - 40 * s),
                new(side * 58 * w, p.HipCentreY + 8 * d, p.ZHip - 72 * s)],
                [.. new[] { 7.0, 15, 21, 23, 21, 18, 15, 10 }.Select(r => r * wd)]);
            b.Add("psoas fascia", Layer.Cavity, Csg.Offset(psoas, 2.5), t.VisceralFat, 0);
            b.Add("psoas", Layer.Cavity, psoas, t.Muscle, 0);
        }

        var inside = Csg.Offset(cavity, -2);
        AddBowel(b, cavityLoft, inside);

        // Liver: a large right lobe under the right dome and a flat left lobe across the midline.
        double ls = v.LiverScale;
        double zLiver = p.DomeRightTop - 62 * s * ls;
        var ribL = p.RibCage.Frame(zLiver);
        var right = new Ellipsoid(new Vec3(-64 * w, ribL.Cy + 10 * d, zLiver), new Vec3(90 * w * ls, 86 * d * ls, 90 * s * ls), Rotation.AboutZ(-0.15));
        var ribLeft = p.RibCage.Frame(p.DomeRightTop - 40 * s);
        var left = new Ellipsoid(new Vec3(8 * w, ribLeft.Cy - ribLeft.BAnt + 50 * d, p.DomeRightTop - 40 * s), new Vec3(72 * w * ls, 40 * d * ls, 34 * s * ls), Rotation.AboutZ(0.2));
        // The inferior surface slopes up toward the left: a wedge, thick on the right, thin on the left.
        double zUnder = p.DomeRightTop - 150 * s * ls;
        var liver = Csg.Clip(Csg.Intersect(Csg.Union(right, left), inside),
            (x, y, z) => Math.Max(z - p.Dome(x, y) + 1.5, zUnder + 0.5 * (x + 60 * w) - z));
        b.AddClass("liver", Layer.Organ, liver, t.Liver);

        double zGall = zUnder + 22 * s;
        var ribG = p.RibCage.Frame(zGall);
        var gall = new Ellipsoid(new Vec3(-44 * w, ribG.Cy - ribG.BAnt + 42 * d, zGall), new Vec3(36 * s, 16 * wd, 15 * wd),
            Rotation.AlongAxis(new Vec3(0.1, -0.45, -0.88)));
        b.AddClass("gallbladder", Layer.Organ, Csg.Intersect(gall, inside), t.Bile);

        // Stomach under the left dome: wall, fluid, and gas rising to the front (the patient lies supine).
        double zSt = p.DomeLeftTop - 48 * s;
        var ribS = p.RibCage.Frame(zSt);
        var stomachCentre = new Vec3(46 * w, ribS.Cy - ribS.BAnt + 68 * d, zSt);
        var stomachRadii = new Vec3(64 * s, 46 * wd, 40 * wd);
        var stomach = Csg.Clip(Csg.Intersect(new Ellipsoid(stomachCentre, stomachRadii, Rotation.AlongAxis(new Vec3(0.35, -0.3, -0.88))), inside), BelowDome);
        b.Add("stomach", Layer.Organ, stomach, t.SoftTissue, 0);
        var lumen = Csg.Offset(stomach, -4);
        b.Add("stomach content", Layer.Organ, lumen, t.BowelContent with { Hu = t.BowelContent.Hu - 10, CortexHu = t.BowelContent.Hu - 10 }, 0);
        double gasLevel = stomachCentre.Y - 46 * d + 2 * 46 * d * v.StomachGas;
        b.Add("stomach gas", Layer.Organ, Csg.Clip(lumen, (_, y, _) => y - gasLevel), t.BowelGas, 0);

        // Spleen: a crescent against the left posterolateral ribs.
        double ss = v.SpleenScale;
        double zSp = p.DomeLeftTop - 55 * s;
        var ribSp = p.RibCage.Frame(zSp);
        var spleen = new Ellipsoid(new Vec3(86 * w, ribSp.Cy + 0.42 * ribSp.BPost, zSp), new Vec3(62 * s * ss, 22 * wd * ss, 42 * wd * ss),
            Rotation.AlongAxis(new Vec3(0.35, 0.55, -0.76)));
        b.AddClass("spleen", Layer.Organ, Csg.Clip(Csg.Intersect(spleen, inside), BelowDome), t.Spleen);

        // Kidneys: the right one lower (the liver above it), upper poles tilted in and back.
        double ks = v.KidneyScale;
        double zKr = sp.Lumbar(2).ZCentre + 10 * s;
        var kidneyTops = new Dictionary<int, Vec3>();
        foreach (int side in new[] { -1, 1 })
        {
            double zk = side < 0 ? zKr : zKr + 18 * s;
            var axis = new Vec3(-side * 0.22, -0.18, 1).Normalized();
            var centre = new Vec3(side * 72 * w, sp.YAt(zk) + 20 * d, zk);
            var kidney = new Ellipsoid(centre, new Vec3(54 * s * ks, 27 * wd * ks, 24 * wd * ks), Rotation.AlongAxis(axis));
            b.AddClass(side > 0 ? "kidney_left" : "kidney_right", Layer.Organ, kidney, t.Kidney);
            b.Add("renal sinus", Layer.OrganDetail, Csg.Intersect(new Ellipsoid(centre + new Vec3(-side * 19 * w, -7 * d, 0), new Vec3(9 * w, 6 * d, 18 * s)),
                Csg.Offset(kidney, -1)), t.Fat, 0);
            kidneyTops[side] = centre + axis * (54 * s * ks);
        }
        foreach (int side in new[] { -1, 1 })
        {
            var top = kidneyTops[side];
            var centre = new Vec3(top.X - side * 12 * w, top.Y - 4 * d, top.Z + 16 * s);
            var adrenal = new Ellipsoid(centre, new Vec3(16 * d, 4.5 * w, 13 * s), Rotation.AboutZ(side * 1.1));
            b.AddClass(side > 0 ? "adrenal_gland_left" : "adrenal_gland_right", Layer.Organ, adrenal, t.Adrenal);
        }

        // Pancreas: tail at the splenic hilum, body across the aorta, head in the duodenal curve.
        double aortaFront(double z) => sp.YAt(z) - sp.Nearest(z).BodyRy - 24 * d;
        var pancreas = new Tube([
            new(80 * w, sp.YAt(sp.Thoracic(12).ZCentre) - 26 * d, sp.Thoracic(12).ZCentre + 4 * s),
            new(45 * w, aortaFront(sp.Lumbar(1).ZCentre) - 8 * d, sp.Lumbar(1).ZCentre + 6 * s),
            new(5 * w, aortaFront(sp.Lumbar(1).ZCentre) - 16 * d, sp.Lumbar(1).ZCentre),
            new(-28 * w, aortaFront(sp.Lumbar(2).ZCentre) - 14 * d, sp.Lumbar(2).ZCentre + 8 * s),
            new(-24 * w, aortaFront(sp.Lumbar(2).ZCentre) - 2 * d, sp.Lumbar(2).ZCentre - 14 * s)],
            [.. new[] { 9.0, 11, 11, 16, 12 }.Select(r => r * wd)]);
        b.AddClass("pancreas", Layer.Organ, Csg.Intersect(pancreas, inside), t.Pancreas);
    }

    /// <summary>The peritoneal cavity (before the diaphragm cut): inside the lower ribs at the top,
    /// inside the abdominal wall below, narrowing into the true pelvis down to the pelvic floor;
    /// its back lies just behind the kidneys beside the spine.</summary>
    public static Loft CavityLoft(BodyPlan p)
    {
        var sp = p.Spine;
        var (s, w, d) = (p.S, p.W, p.D);
        var frames = new List<LoftFrame>();
        void Add(double z, double a, double front, double back)
        {
            double b = (back - front) / 2;
            frames.Add(new LoftFrame(z, 0, (front + back) / 2, a, b, b));
        }
        foreach (double z in new[] { p.DomeRightTop + 6 * s, sp.Thoracic(11).ZCentre, sp.Thoracic(12).ZCentre, sp.Lumbar(1).ZCentre })
        {
            var rib = p.RibCage.Frame(z);
            Add(z, rib.A - 11 * w, rib.Cy - rib.BAnt + 10 * d, sp.YAt(z) + 38 * d);
        }
        foreach (double z in new[] { sp.Lumbar(3).ZCentre, sp.LowestLumbar.ZCentre })
        {
            var lean = p.LeanTrunk.Frame(z);
            Add(z, lean.A - 16 * w, lean.Cy - lean.BAnt + 16 * d, sp.YAt(z) + 30 * d);
        }
        var s1 = p.LeanTrunk.Frame(-22 * s);
        Add(-22 * s, 108 * w, s1.Cy - s1.BAnt + 16 * d, Pelvis.SacrumAt(p, -22 * s).Cy - Pelvis.SacrumAt(p, -22 * s).B - 4 * d);
        double zInlet = -58 * s;
        var sac = Pelvis.SacrumAt(p, zInlet);
        Add(zInlet, 66 * w, p.PubisY + 4 * d, sac.Cy - sac.B - 4 * d);
        double zFloor = p.ZHip - 25 * s;
        sac = Pelvis.SacrumAt(p, zFloor);
        Add(zFloor, 44 * w, p.PubisY + 20 * d, sac.Cy - sac.B - 2 * d);
        return new Loft(frames);
    }

    /// <summary>The colon's frame (caecum, ascending, transverse, descending, sigmoid, rectum)
    /// and a tangle of small-bowel loops, each a wall with fluid content and pockets of gas.</summary>
    private static void AddBowel(BodyParts b, Loft cavity, Shape inside)
    {
        var p = b.Plan;
        var sp = p.Spine;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        ref var r = ref b.Random;
        double Front(double z) { var f = cavity.Frame(z); return f.Cy - f.BAnt; }
        double Back(double z) { var f = cavity.Frame(z); return f.Cy + f.BPost; }
        double zL1 = sp.Lumbar(1).ZCentre, zL2 = sp.Lumbar(2).ZCentre, zL3 = sp.Lumbar(3).ZCentre, zL5 = sp.LowestLumbar.ZCentre;
        var colonPts = new List<Vec3>
        {
            new(-86 * w, Front(zL5 - 10 * s) + 52 * d, zL5 - 10 * s),
            new(-96 * w, Back(zL3) - 50 * d, zL3),
            new(-84 * w, Back(zL1) - 70 * d, zL1 - 5 * s),
            new(-40 * w, Front(zL2) + 28 * d, zL2),
            new(0, Front(zL3) + 24 * d, zL3 + 10 * s),
            new(42 * w, Front(zL2) + 28 * d, zL2 + 5 * s),
            new(86 * w, Back(zL1) - 62 * d, sp.Thoracic(12).ZCentre - 10 * s),
            new(94 * w, Back(zL2) - 40 * d, zL2 - 10 * s),
            new(92 * w, Back(zL5) - 46 * d, zL5),
            new(64 * w, Front(-20 * s) + 56 * d, -22 * s),
            new(20 * w, Front(-42 * s) + 50 * d, -42 * s),
        };
        double[] colonR = [26, 22, 21, 20, 20, 20, 19, 18, 17, 16, 16];
        // Rectum along the front of the sacrum down to the anal canal.
        foreach (double z in new[] { -62 * s, -92 * s, p.ZHip - 34 * s, p.ZCrotch + 28 * s })
        {
            var sac = Pelvis.SacrumAt(p, Math.Max(z, Pelvis.SacrumBottomZ(p)));
            colonPts.Add(new Vec3(0, sac.Cy - sac.B - (z < p.ZHip - 30 * s ? 24 : 20) * d, z));
        }
        colonR = [.. colonR, 17, 17, 12, 7];
        var colon = new Tube(colonPts, [.. colonR.Select(x => x * (w + d) / 2)]);
        var colonLumen = Csg.Offset(colon, -3);
        b.Add("colon", Layer.Organ, colon, t.SoftTissue, 0);
        b.Add("colon content", Layer.Organ, colonLumen, t.BowelContent, 0);
        var gas = new List<Shape>();
        for (int n = 0; n < 6; n++)
        {
            int k = r.Int(1, colonPts.Count - 4);
            double u = r.NextDouble();
            var at = colonPts[k] * (1 - u) + colonPts[k + 1] * u;
            double gr = r.Uniform(6, 12);
            gas.Add(new Ellipsoid(at + new Vec3(0, -(colonR[k] - gr) * 0.8, 0), new Vec3(gr * 1.3, gr, gr * 1.5)));
        }
        b.Add("colon gas", Layer.Organ, Csg.Intersect(Csg.Union([.. gas]), colonLumen), t.BowelGas, 0);

        // Small bowel: short curved loops in the mid and lower abdomen.
        var loops = new List<Shape>();
        var loopGas = new List<Shape>();
        for (int n = 0; n < 24; n++)
        {
            double z = r.Uniform(-45 * s, zL1);
            double front = Front(z), back = Back(z) - 40 * d;
            var c = new Vec3(r.Uniform(-68, 68) * w, r.Uniform(front + 18 * d, Math.Max(front + 20 * d, back)), z);
            var dir = new Vec3(r.Uniform(-1, 1), r.Uniform(-0.4, 0.4), r.Uniform(-1, 1)).Normalized();
            var bend = new Vec3(r.Uniform(-1, 1), r.Uniform(-0.5, 0.5), r.Uniform(-1, 1)) * 14;
            double len = r.Uniform(20, 40);
            double radius = r.Uniform(8, 13);
            var loop = new Tube([c - dir * len, c + bend, c + dir * len], radius);
            loops.Add(loop);
            if (r.Chance(0.2)) loopGas.Add(new Ellipsoid(c + bend + new Vec3(0, -radius * 0.5, 0), new Vec3(radius * 0.6, radius * 0.45, radius * 0.6)));
        }
        var smallBowel = Csg.Intersect(Csg.Union([.. loops]), inside);
        b.Add("small bowel wall", Layer.Organ, smallBowel, t.SoftTissue with { Hu = t.SoftTissue.Hu + 10, CortexHu = t.SoftTissue.Hu + 10 }, 0);
        b.Add("small bowel content", Layer.Organ, Csg.Offset(smallBowel, -2.5), Tissue.Uniform(b.T.Urine.Hu + 5), 0);
        if (loopGas.Count > 0) b.Add("small bowel gas", Layer.Organ, Csg.Intersect(Csg.Union([.. loopGas]), smallBowel), t.BowelGas, 0);
    }
}
