using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>
/// The head: the skull (a vault of two cortical tables round the diploë, a skull base with the
/// foramen magnum over the spine, the facial skeleton with its air sinuses and orbits), the brain
/// (grey-matter rim, white matter, ventricles) in its film of fluid, the eyes, teeth and the
/// mandible, which hangs below the skull base with a joint gap.
/// </summary>
public static class Head
{
    public static void Build(BodyParts b)
    {
        var p = b.Plan;
        var (s, w, d) = (p.S, p.W, p.D);
        var t = b.T;
        double wd = (w + d) / 2;
        var c = p.SkullCentre;
        var outer = p.Skull;
        var c1 = p.Spine.Cervical(1);
        var foramen = new ProfileShape(new Box3(new Vec3(-20, c1.CanalY - 40, p.ZC1Top - 5), new Vec3(20, c1.CanalY + 40, p.ZC1Top + 40 * s)),
            _ => new EllipseSection(0, c1.CanalY - 2 * d, 15 * w, 18 * d));
        var vault = Csg.Subtract(outer, Csg.Offset(outer, -7 * wd));

        // Facial skeleton hanging in front of and below the cranium: orbits, maxilla, zygomatic arches.
        double zEye = p.ZC1Top + 50 * s;
        double eyeY = FrontSurfaceY(outer, 32 * w, zEye, c.Y) - 2 * d;
        var maxillaCentre = new Vec3(0, eyeY + 14 * d, p.ZC1Top + 14 * s);
        var maxilla = new Ellipsoid(maxillaCentre, new Vec3(40 * w, 28 * d, 28 * s));
        var zygomatic = new[] { -1, 1 }.Select(side => (Shape)new Tube([new(side * 40 * w, eyeY + 16 * d, zEye - 18 * s),
            new(side * 52 * w, eyeY + 36 * d, zEye - 20 * s), new(side * 58 * w, eyeY + 62 * d, zEye - 20 * s)], 4 * wd)).ToArray();
        var orbitRims = new[] { -1, 1 }.Select(side => (Shape)Csg.Subtract(
            new Ellipsoid(new Vec3(side * 32 * w, eyeY + 8 * d, zEye), new Vec3(21 * w, 16 * d, 20 * s)),
            new Ellipsoid(new Vec3(side * 32 * w, eyeY + 4 * d, zEye), new Vec3(17 * w, 20 * d, 16 * s)))).ToArray();
        var skull = Csg.Subtract(Csg.Union([vault, maxilla, .. zygomatic, .. orbitRims]), foramen);
        b.AddClass("skull", Layer.Bone, skull, t.Skull);

        // Air spaces and orbits cut into the facial skeleton.
        var nasal = new Ellipsoid(maxillaCentre + new Vec3(0, -2 * d, 8 * s), new Vec3(9 * w, 22 * d, 22 * s));
        b.Add("nasal cavity", Layer.BoneDetail, nasal, t.Air, 0);
        b.Add("nasal septum", Layer.BoneDetail, Csg.Intersect(nasal, new ProfileShape(nasal.Bounds, z => new RoundedRectSection(0, maxillaCentre.Y, 1.2, 60, 0))), t.ThinBone, 0);
        foreach (int side in new[] { -1, 1 })
        {
            b.Add("maxillary sinus", Layer.BoneDetail, new Ellipsoid(maxillaCentre + new Vec3(side * 21 * w, 4 * d, 4 * s), new Vec3(11 * w, 12 * d, 13 * s)), t.Air, 0);
            var eye = new Vec3(side * 32 * w, eyeY, zEye);
            b.Add("orbit", Layer.BoneDetail, new Ellipsoid(eye + new Vec3(0, 6 * d, 0), new Vec3(16 * w, 20 * d, 15 * s)), t.Fat, 0);
            b.Add("eye", Layer.BoneDetail, new Ellipsoid(eye, new Vec3(12 * wd, 12 * wd, 12 * wd)), t.Eye, 0);
        }

        // Brain in its film of cerebrospinal fluid; grey matter as the outer rim.
        var intracranial = Csg.Offset(outer, -7 * wd - 1);
        b.Add("cerebrospinal fluid", Layer.Organ, intracranial, t.Csf, 0);
        var brainTissue = Tissue.Bone(t.Brain.Hu - 5, t.Brain.Hu + 4, 3.5);
        b.AddClass("brain", Layer.Organ, Csg.Offset(intracranial, -2.5), brainTissue);
        foreach (int side in new[] { -1, 1 })
            b.Add("lateral ventricle", Layer.OrganDetail, new Ellipsoid(c + new Vec3(side * 10 * w, 2 * d, 10 * s), new Vec3(5 * w, 26 * d, 11 * s), Rotation.AboutZ(side * 0.15)), t.Csf, null);

        // Mandible: a horseshoe from one condyle down the ramus, along the body to the chin and back.
        double zM = p.ZC1Top;
        double yCondyle = c1.Y - 26 * d;
        double condyleZ = LowestSurface(p, outer, 50 * w, yCondyle) - 10 * s;
        Vec3[] half(int side) =>
        [
            new(side * 50 * w, yCondyle, condyleZ), new(side * 48 * w, yCondyle - 8 * d, zM - 18 * s), new(side * 45 * w, yCondyle - 16 * d, zM - 44 * s),
            new(side * 36 * w, eyeY + 30 * d, zM - 50 * s), new(side * 19 * w, eyeY + 8 * d, zM - 53 * s),
        ];
        var right = half(-1);
        var leftHalf = half(1);
        var chin = new Vec3(0, eyeY + 2 * d, zM - 55 * s);
        Vec3[] path = [.. right, chin, .. leftHalf.Reverse()];
        double[] radii = [7, 5.5, 7, 8, 8.5, 9, 8.5, 8, 7, 5.5, 7];
        b.AddClass("mandible", Layer.Bone, new Tube(path, [.. radii.Select(r => r * wd)]), t.Skull);
        var lowerTeeth = new Tube([.. path.Skip(3).Take(5).Select(q => q + new Vec3(0, 3 * d, 13 * s))], 4.5 * wd);
        var upperTeeth = new Tube([.. path.Skip(3).Take(5).Select(q => q + new Vec3(0, 6 * d, 24 * s))], 4.5 * wd);
        b.Add("teeth", Layer.BoneDetail, Csg.Union(lowerTeeth, upperTeeth), t.Tooth, 0);
    }

    /// <summary>The front of a solid along the line at (x, z): the smallest y inside it, by bisection
    /// from a depth known to be inside.</summary>
    private static double FrontSurfaceY(Shape shape, double x, double z, double yInside)
    {
        var section = shape.At(z) ?? throw new InvalidOperationException("plane misses the skull");
        double lo = section.Bounds.MinY - 1, hi = yInside;
        for (int k = 0; k < 60; k++)
        {
            double mid = (lo + hi) / 2;
            if (section.Distance(x, mid) < 0) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double LowestSurface(BodyPlan p, Shape shape, double x, double y) => BodyPlan.LowestSurfaceZ(shape, x, y, p.SkullCentre.Z);
}
