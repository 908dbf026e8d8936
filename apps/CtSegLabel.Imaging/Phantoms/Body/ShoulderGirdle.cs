using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// Clavicles, scapulae and the bones of the arms hanging at the sides: humerus (head in front of
/// the glenoid with a joint space, shaft with marrow, epicondyles at the elbow) and the forearm
/// bones (radius and ulna, not ground-truth classes). The scapula lies on the back of the rib cage
/// with muscle between, so it never merges with a rib.
/// </summary>
public static class ShoulderGirdle
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var sp = p.Spine;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        double wd = (w + d) / 2;
        double rh = 22 * (w + s) / 2;
        double zSternum = RibCage.SternumTopZ(p);
        double ySternum = RibCage.SternumY(p, zSternum);

        foreach (int side in new[] { -1, 1 })
        {
            string sideName = side > 0 ? "left" : "right";
            var joint = Outline.ShoulderJoint(p, side);
            var (arm, _) = Outline.ArmPath(p, side);

            // Humerus.
            double zElbow = joint.Z - 305 * s;
            var elbow = PointAt(arm, zElbow);
            var head = Csg.Union(new Ellipsoid(joint, new Vec3(rh, rh, rh)),
                new Tube([joint, joint + new Vec3(side * 6 * w, 0, -55 * s)], [15 * wd, 13 * wd]));
            var shaftTop = joint + new Vec3(side * 6 * w, 0, -40 * s);
            var shaft = Csg.ClipZ(new Tube([shaftTop, PointAt(arm, (shaftTop.Z + zElbow) / 2), elbow + new Vec3(0, 0, 20 * s)], [12 * wd, 11 * wd, 10.5 * wd]),
                double.NegativeInfinity, joint.Z - 50 * s);
            var epicondyles = new Ellipsoid(elbow + new Vec3(0, 4 * d, 8 * s), new Vec3(28 * w, 14 * d, 14 * s));
            b.AddClass($"humerus_{sideName}", Layer.Bone, Csg.Union(head, epicondyles), t.Bone);
            b.AddClass($"humerus_{sideName}", Layer.Bone, shaft, t.LongBone);
            var wrist = arm[^1];
            foreach (int k in new[] { -1, 1 })
            {
                var offset = new Vec3(side * k * 4 * w, k * 9 * d, 0);
                b.Add(k < 0 ? "ulna" : "radius", Layer.Bone, new Tube([elbow + offset + new Vec3(0, 0, -10 * s), wrist + offset + new Vec3(0, 0, 10 * s)], [7 * wd, 6 * wd]), t.LongBone, 0);
            }

            // Scapula: a thin plate following the back of the rib cage, from its inferior angle (T7)
            // up to the glenoid, with the spine of the scapula and acromion arching over the joint.
            double zInf = sp.Thoracic(7).ZCentre, zSup = sp.Thoracic(1).ZCentre + 4 * s;
            var reference = p.RibCage.Frame(sp.Thoracic(5).ZCentre);
            double a = reference.A + 17 * w, bb = reference.BPost + 17 * d;
            double ScapulaCy(double z) { var f = p.RibCage.Frame(z); return f.Cy + f.BPost + 17 * d - bb; }
            double xMedial = 50 * w;
            double XLateral(double z)
            {
                double u = Math.Clamp((z - zInf) / (zSup - zInf), 0, 1);
                return (54 + 66 * Math.Pow(u, 0.7)) * w;
            }
            var blade = new ProfileShape(new Box3(new Vec3(-140 * w, -300, zInf), new Vec3(140 * w, 300, zSup)), z =>
            {
                double thMedial = Math.Acos(Math.Min(0.98, xMedial / a)), thLateral = Math.Acos(Math.Min(0.98, XLateral(z) / a));
                double from = thLateral, to = Math.Max(thMedial, thLateral + 0.02);
                if (side < 0) (from, to) = (Math.PI - to, Math.PI - from);
                return new ArcBandSection(0, ScapulaCy(z), a, bb, 6 * wd, from, to);
            });
            double Back(double x, double z) => ScapulaCy(z) + bb * Math.Sqrt(Math.Max(0, 1 - x * x / (a * a)));
            var glenoid = joint + new Vec3(-side * (rh + 3 + 6), 2 * d, 0);
            double zSpine = sp.Thoracic(3).ZCentre;
            var spine = new Tube([new(side * 54 * w, Back(54 * w, zSpine) + 6, zSpine), new(side * 100 * w, Back(100 * w, sp.Thoracic(2).ZCentre) + 8, sp.Thoracic(2).ZCentre),
                new(side * 136 * w, joint.Y + 14 * d, joint.Z + rh + 14 * s), new(side * 154 * w, joint.Y - 6 * d, joint.Z + rh + 12 * s)], [5 * wd, 6 * wd, 6 * wd, 5 * wd]);
            var neck = new Tube([glenoid, new(side * XLateral(zSup - 8 * s), ScapulaCy(zSup - 8 * s) + bb * 0.3, zSup - 8 * s)], 9 * wd);
            var coracoid = new Tube([glenoid + new Vec3(-side * 8, -6 * d, 12 * s), glenoid + new Vec3(side * 4, -34 * d, 18 * s)], 5.5 * wd);
            var glenoidCup = new Ellipsoid(glenoid, new Vec3(7 * w, 15 * d, 19 * s));
            b.AddClass($"scapula_{sideName}", Layer.Bone, Csg.Union(blade, spine, neck, coracoid, glenoidCup), t.ThinBone);

            // Clavicle: an S from the manubrium over the first rib to the acromion.
            var clavicle = new Tube([
                new(side * 34 * w, ySternum - 6 * d, zSternum + 8 * s), new(side * 64 * w, ySternum - 12 * d, zSternum + 16 * s),
                new(side * 104 * w, joint.Y - 26 * d, joint.Z + rh + 6 * s), new(side * 132 * w, joint.Y - 10 * d, joint.Z + rh + 10 * s)],
                [8 * wd, 7 * wd, 6.5 * wd, 7 * wd]);
            b.AddClass($"clavicle_{sideName}", Layer.Bone, clavicle, t.Bone);
        }
    }

    /// <summary>The point of a downward polyline at height z (linear between its vertices).</summary>
    private static Vec3 PointAt(Vec3[] path, double z)
    {
        for (int n = 0; n + 1 < path.Length; n++)
        {
            var a = path[n];
            var c = path[n + 1];
            if ((z <= a.Z && z >= c.Z) || (z >= a.Z && z <= c.Z))
            {
                double u = Math.Abs(c.Z - a.Z) < 1e-9 ? 0 : (z - a.Z) / (c.Z - a.Z);
                return a + (c - a) * u;
            }
        }
        return z > path[0].Z ? path[0] : path[^1];
    }
}
