using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// Ribs 1–12 on both sides, the sternum and the costal cartilages. Rib n is a curved tube that
/// starts at the tip of vertebra Tn's transverse process, runs back and out to the rib angle, then
/// follows the rib cage's curve round the side and toward the front, descending as it goes. Every
/// rib follows the same descent law from its own vertebra, so neighbouring ribs stay a vertebral
/// pitch apart (≈ 25 mm, minus two radii) and never touch.
/// </summary>
public static class RibCage
{
    // Descent from the head to where a rib would reach the front midline (mm), and where each rib
    // ends (degrees round from the back): ribs 1–7 reach the cartilage near the sternum, 8–10
    // fall short of it, 11–12 float.
    private static readonly double[] Drop = [40, 60, 78, 90, 95, 98, 100, 100, 100, 100, 100, 100];
    private static readonly double[] EndDegrees = [150, 155, 155, 155, 155, 152, 148, 140, 130, 120, 100, 75];

    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var sp = p.Spine;
        var ends = new Dictionary<(int, int), Vec3>();
        for (int n = 1; n <= 12; n++)
        {
            foreach (int side in new[] { -1, 1 })
            {
                var path = RibPath(p, n, side);
                double radius = (n == 1 ? 5.5 : n >= 11 ? 4.5 : 5.0) * (p.W + p.S) / 2;
                // The rib's head swallows the transverse process's rounded tip whole (it is painted
                // over it), so no sliver of the process is left cut off from its vertebra.
                double head = Spine.TransverseTipRadius(sp.Thoracic(n)) + 0.8;
                var radii = path.Select((_, k) => k == path.Length - 1 ? radius * 0.85 : Math.Max(radius, head - 0.25 * k)).ToArray();
                b.AddClass($"rib_{(side > 0 ? "left" : "right")}_{n}", Layer.Rib, new Tube(path, radii), b.T.Bone);
                ends[(n, side)] = path[^1];
            }
        }

        // Sternum: manubrium (wide), body, xiphoid, from the jugular notch (T2/T3) to T10.
        double zTop = SternumTopZ(p);
        double zAngle = (sp.Thoracic(4).ZBottom + sp.Thoracic(5).ZTop) / 2;
        double zXiphisternal = sp.Thoracic(9).ZBottom;
        double zTip = sp.Thoracic(10).ZCentre;
        var halfWidth = new Pchip([zTip, zXiphisternal, zAngle - 10 * p.S, zAngle + 5 * p.S, zTop], [4, 9, 15, 22, 27]);
        var thickness = new Pchip([zTip, zXiphisternal, zAngle, zTop], [6, 10, 11, 14]);
        double SternumY(double z) => RibCage.SternumY(p, z);
        var sternum = new ProfileShape(new Box3(new Vec3(-30 * p.W, -400, zTip), new Vec3(30 * p.W, 400, zTop)), z =>
            new RoundedRectSection(0, SternumY(z), halfWidth[z] * p.W, thickness[z] * p.D / 2, 4));
        b.AddClass("sternum", Layer.Bone, sternum, b.T.Bone);

        // Costal cartilages: ribs 1–7 to the sternum's edge, 8–10 up to the cartilage above.
        for (int n = 1; n <= 10; n++)
        {
            foreach (int side in new[] { -1, 1 })
            {
                var e = ends[(n, side)];
                Vec3 target;
                if (n <= 7)
                {
                    double z = zTop - 6 * p.S - (n - 1) / 6.0 * (zTop - 6 * p.S - zXiphisternal);
                    target = new Vec3(side * (halfWidth[z] * p.W + 2), SternumY(z) + 2, z);
                }
                else
                {
                    var above = ends[(7, side)];
                    target = new Vec3(side * (Math.Abs(above.X) * 0.55 + 8 * (n - 7)), above.Y + 4, above.Z - 12 * (n - 7) * p.S);
                }
                var mid = new Vec3((e.X + target.X) / 2, Math.Min(e.Y, target.Y) - 4 * p.D, (e.Z + target.Z) / 2);
                // Start a little past the rib's rounded end so the cartilage meets it without covering it.
                var dir = (mid - e).Normalized();
                b.Add($"costal cartilage {n}", Layer.BoneDetail, new Tube([e + dir * 3.0, mid, target], 4.0 * p.W), b.T.Cartilage, 0);
            }
        }
    }

    /// <summary>Height of the jugular notch (the sternum's top), between T2 and T3.</summary>
    public static double SternumTopZ(BodyPlan p) => (p.Spine.Thoracic(2).ZBottom + p.Spine.Thoracic(3).ZTop) / 2;

    /// <summary>Depth of the sternum's mid-plane at height z: just in front of the rib cage's curve.</summary>
    public static double SternumY(BodyPlan p, double z)
    {
        var f = p.RibCage.Frame(z);
        return f.Cy - f.BAnt - 3 * p.D;
    }

    /// <summary>The centre line of rib n on a side (+1 left, −1 right), from its vertebra outward.</summary>
    public static Vec3[] RibPath(BodyPlan p, int n, int side)
    {
        var v = p.Spine.Thoracic(n);
        var start = Spine.TransverseTip(v, side, p.D);
        double zn = v.ZCentre;
        double drop = Drop[n - 1] * p.S;
        double phiEnd = EndDegrees[n - 1] * Math.PI / 180;
        var f0 = p.RibCage.Frame(zn);
        double phi0 = Math.Asin(Math.Min(0.95, (v.TransverseReach + 22 * p.W) / f0.A));
        double Z(double phi)
        {
            double u = Math.Clamp((phi - phi0) / (Math.PI - phi0), 0, 1);
            return zn - drop * Math.Pow(u, 1.4);
        }
        Vec3 E(double phi)
        {
            double z = Z(phi);
            var f = p.RibCage.Frame(z);
            return new Vec3(side * f.A * Math.Sin(phi), f.Cy + f.BPost * Math.Cos(phi), z);
        }

        var pts = new List<Vec3> { start };
        // Neck and tubercle: a quadratic Bézier from the transverse process out to the rib angle.
        double phi1 = phi0 + 0.3;
        var control = E(phi0) with { Z = zn };
        var join = E(phi1);
        for (int k = 1; k <= 6; k++)
        {
            double t = k / 6.0;
            pts.Add((1 - t) * (1 - t) * start + 2 * t * (1 - t) * control + t * t * join);
        }
        int steps = Math.Max(2, (int)Math.Ceiling((phiEnd - phi1) / 0.06));
        for (int k = 1; k <= steps; k++) pts.Add(E(phi1 + (phiEnd - phi1) * k / steps));
        return [.. pts];
    }
}
