using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// Vertebrae, discs and the spinal canal. Each vertebra is a body (a short elliptic cylinder,
/// slightly waisted, cortical endplates), a neural arch around the canal, a spinous process and
/// two transverse processes — all clipped to the vertebra's own slab, so the disc between two
/// slabs separates neighbouring vertebrae across their whole width and every vertebra is its own
/// connected instance.
/// </summary>
public static class Spine
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var levels = p.Spine.Levels;
        for (int n = 0; n < levels.Count; n++)
        {
            var v = levels[n];
            string cls = v.Region switch
            {
                SpineRegion.Cervical => "vertebrae_cervical",
                SpineRegion.Thoracic => $"vertebra_T{v.Number}",
                _ => $"vertebra_L{v.Number}",
            };
            b.AddClass(cls, Layer.Vertebra, Vertebra(v, p.D), b.T.Bone);
            // The disc below this vertebra: down to the next vertebra, or to the sacrum.
            double below = n == 0 ? 0 : levels[n - 1].ZTop;
            var lower = n == 0 ? v : levels[n - 1];
            b.Add($"disc below {v.Name}", Layer.Bone, Disc(v, lower, below), b.T.Disc, 0);
        }

        // The canal with cord and fluid, from the sacrum up into the skull.
        var canal = new List<LoftFrame>();
        var cord = new List<LoftFrame>();
        foreach (var v in levels)
        {
            canal.Add(new LoftFrame(v.ZCentre, 0, v.CanalY, v.CanalRx - 0.5, v.CanalRy - 0.5, v.CanalRy - 0.5));
            if (v.Region != SpineRegion.Lumbar || v.Number == 1)
                cord.Add(new LoftFrame(v.ZCentre, 0, v.CanalY, 0.5 * v.CanalRx, 0.55 * v.CanalRy, 0.55 * v.CanalRy));
        }
        var top = levels[^1];
        canal.Add(new LoftFrame(top.ZTop + 12 * p.S, 0, top.CanalY - 4 * p.D, top.CanalRx, top.CanalRy, top.CanalRy));
        cord.Add(new LoftFrame(top.ZTop + 12 * p.S, 0, top.CanalY - 4 * p.D, 0.55 * top.CanalRx, 0.6 * top.CanalRy, 0.6 * top.CanalRy));
        b.Add("spinal canal", Layer.Bone, new Loft(canal), b.T.Csf, 0);
        b.Add("spinal cord", Layer.Bone, new Loft(cord), b.T.Brain, 0);
    }

    /// <summary>Transverse process tip (where rib n meets vertebra Tn).</summary>
    public static Vec3 TransverseTip(VertebraLevel v, int side, double d) =>
        new(side * v.TransverseReach, v.CanalY + TransverseBack(v) * d, v.ZCentre);

    /// <summary>Radius of a transverse process at its tip.</summary>
    public static double TransverseTipRadius(VertebraLevel v) => v.Region == SpineRegion.Cervical ? 3.5 : v.Region == SpineRegion.Thoracic ? 5 : 4.5;

    private static double TransverseBack(VertebraLevel v) => v.Region switch
    {
        SpineRegion.Thoracic => 9,
        SpineRegion.Lumbar => 1,
        _ => -5,
    };

    private static Shape Vertebra(VertebraLevel v, double d)
    {
        double zc = v.ZCentre, half = v.Height / 2;
        var body = new ProfileShape(new Box3(new Vec3(-v.BodyRx, v.Y - v.BodyRy, v.ZBottom), new Vec3(v.BodyRx, v.Y + v.BodyRy, v.ZTop)), z =>
        {
            double u = (z - zc) / half;
            double waist = 1 - 0.07 * (1 - u * u);
            double endplate = Math.Abs(z - zc) - half;
            var e = new EllipseSection(0, v.Y, v.BodyRx * waist, v.BodyRy * waist);
            return new FuncSection(e.Bounds, (x, y) => Math.Max(e.Distance(x, y), endplate));
        });

        // The arch: a ring around the canal, lower than the body so the facets cannot bridge a disc.
        double archLo = v.ZBottom + 0.12 * v.Height, archHi = v.ZTop - 0.08 * v.Height;
        double wall = v.Region == SpineRegion.Cervical ? 4.5 : 6;
        var arch = new ProfileShape(new Box3(new Vec3(-v.CanalRx - wall, v.CanalY - v.CanalRy - wall, archLo),
            new Vec3(v.CanalRx + wall, v.CanalY + v.CanalRy + wall, archHi)), z =>
        {
            var outer = new EllipseSection(0, v.CanalY, v.CanalRx + wall, v.CanalRy + wall);
            var inner = new EllipseSection(0, v.CanalY, v.CanalRx, v.CanalRy);
            double cap = Math.Max(archLo - z, z - archHi);
            return new FuncSection(outer.Bounds, (x, y) => Math.Max(Math.Max(outer.Distance(x, y), -inner.Distance(x, y)), cap));
        });

        double back = v.CanalY + v.CanalRy + wall * 0.6;
        double spRadius = v.Region == SpineRegion.Cervical ? 3.5 : v.Region == SpineRegion.Thoracic ? 4.5 : 5.5;
        // Thoracic spinous processes slope down steeply, lumbar ones point straight back.
        double spDrop = v.Region == SpineRegion.Thoracic ? Math.Max(0, half - spRadius - 1.5) : v.Region == SpineRegion.Cervical ? 3 : 2;
        var spinous = new Tube([new Vec3(0, back, zc + 2), new Vec3(0, back + v.SpinousLength, zc - spDrop)], [spRadius + 1, spRadius]);

        double tpRadius = TransverseTipRadius(v);
        var parts = new List<Shape> { body, arch, spinous };
        foreach (int side in new[] { -1, 1 })
        {
            var root = new Vec3(side * (v.CanalRx + wall * 0.5), v.CanalY - 1, zc);
            parts.Add(new Tube([root, TransverseTip(v, side, d)], [tpRadius + 1, tpRadius]));
        }
        return Csg.ClipZ(Csg.Union([.. parts]), v.ZBottom, v.ZTop);
    }

    private static Shape Disc(VertebraLevel upper, VertebraLevel lower, double zBottom)
    {
        double zTop = upper.ZBottom;
        double rx = (upper.BodyRx + lower.BodyRx) / 2, ry = (upper.BodyRy + lower.BodyRy) / 2;
        double y = (upper.Y + lower.Y) / 2;
        // Slightly into both endplates so no gap of muscle shows between disc and bone.
        double lo = zBottom - 0.5, hi = zTop + 0.5;
        return new ProfileShape(new Box3(new Vec3(-rx, y - ry, lo), new Vec3(rx, y + ry, hi)),
            _ => new EllipseSection(0, y, rx * 0.97, ry * 0.97));
    }
}
