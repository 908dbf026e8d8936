using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>The body's outline: trunk, neck, head, arms hanging at the sides and the thighs, each
/// painted twice — the skin outline as subcutaneous fat, the lean outline inside it as muscle.</summary>
public static class Outline
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var (s, w, d) = (p.S, p.W, p.D);

        // Head: scalp over the skull, the face in front of and below it.
        var scalp = Csg.Offset(p.Skull, 6);
        var face = new Ellipsoid(new Vec3(0, p.SkullCentre.Y - 50 * d, p.ZC1Top - 2 * s), new Vec3(58 * w, 56 * d, 66 * s));
        var head = Csg.Union(scalp, face);

        var legsLean = new List<Shape>();
        var legsSkin = new List<Shape>();
        foreach (int side in new[] { -1, 1 })
        {
            LoftFrame F(double z, double cx, double cy, double r) => new(z, side * cx * w, cy * d, r * w, r * d, r * d);
            var frames = new[]
            {
                F(p.ZCrotch + 60 * s, 88, 18, 86), F(p.ZCrotch, 88, 16, 84), F(p.ZHip - 250 * s, 80, 12, 70),
                F(p.ZKnee, 72, 10, 55), F(p.ZBottom, 70, 10, 46),
            };
            legsLean.Add(new Loft(frames));
            legsSkin.Add(new Loft(frames.Select(f => p.Grow(f, p.FatAt(f.Z) * 0.8))));
        }

        var armsLean = new List<Shape>();
        var armsSkin = new List<Shape>();
        foreach (int side in new[] { -1, 1 })
        {
            var (points, radii) = ArmPath(p, side);
            armsLean.Add(new Tube(points, radii));
            double fat = p.Variation.FatMm * 0.45;
            armsSkin.Add(new Tube(points, [.. radii.Select(r => r + fat)]));
        }

        b.Add("skin", Layer.Skin, Csg.Union([p.SkinTrunk, .. legsSkin, .. armsSkin]), b.T.Fat, 0);
        b.Add("head", Layer.Skin, head, b.T.Fat, 0);
        b.Add("head soft tissue", Layer.Muscle, Csg.Offset(head, -5), b.T.SoftTissue, 0);
        var lean = Csg.Union([p.LeanTrunk, .. legsLean, .. armsLean]);
        b.Add("muscle", Layer.Muscle, lean, b.T.Muscle, 0);
        b.Named["lean body"] = lean;
    }

    /// <summary>The centre line of an arm hanging beside the trunk (side +1 left, −1 right) and its
    /// lean radius: from the shoulder joint down past the elbow to the wrist, kept just outside
    /// the trunk's skin.</summary>
    public static (Vec3[] Points, double[] Radii) ArmPath(BodyPlan p, int side)
    {
        var sp = p.Spine;
        var shoulder = ShoulderJoint(p, side);
        double[] zs = [sp.Thoracic(5).ZCentre, sp.Thoracic(9).ZCentre, sp.Lumbar(1).ZCentre, sp.Lumbar(3).ZCentre,
            0, p.ZHip + 20 * p.S];
        double[] radii = [36, 34, 31, 28, 26, 23];
        var pts = new List<Vec3> { shoulder };
        var rs = new List<double> { 40 * p.W };
        double fat = p.Variation.FatMm * 0.45;
        for (int n = 0; n < zs.Length; n++)
        {
            var trunk = p.SkinTrunk.Frame(zs[n]);
            double r = radii[n] * (p.W + 1) / 2;
            double x = trunk.Cx + trunk.A + r + fat + 4;
            double y = trunk.Cy + (n < 3 ? 0 : -12 * p.D * (n - 2));
            pts.Add(new Vec3(side * x, y, zs[n]));
            rs.Add(r);
        }
        return ([.. pts], [.. rs]);
    }

    /// <summary>Centre of the humeral head.</summary>
    public static Vec3 ShoulderJoint(BodyPlan p, int side)
    {
        var t2 = p.RibCage.Frame(p.Spine.Thoracic(2).ZCentre);
        return new Vec3(side * 148 * p.W, t2.Cy + 0.2 * t2.BPost, p.Spine.Thoracic(2).ZCentre + 6 * p.S);
    }
}
