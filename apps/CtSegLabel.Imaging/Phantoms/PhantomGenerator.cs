using CtSegLabel.Imaging.Phantoms.Body;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// Synthetic CT phantoms with exact ground truth. Phantom <c>index</c> of a run with seed S gets
/// its own seed mixed from (S, index); from it come, each from its own stream, the patient, the
/// tissues, the scan range and grid, the anatomical details and the noise of every slice — so one
/// phantom does not change when another is added and the bytes depend on nothing but the
/// arguments.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>Slice spacings a scan is drawn with (mm).</summary>
    public static readonly double[] SliceSpacings = [1.5, 2.0, 2.5, 3.0, 5.0];

    /// <summary>Most slices a drawn spacing may produce; long ranges get thicker slices.</summary>
    public const int MaxDrawnSlices = 420;

    public static string IdOf(int index) => $"phantom_{index:D4}";

    public static Phantom Generate(long seed, int index, PhantomOptions? options = null) => Render(Plan(seed, index, options));

    public static Phantom Render(PhantomPlan plan)
    {
        var structures = BodyModel.Build(plan.Body, plan.Tissues, PhantomRandom.Derive(plan.Seed, 4));
        ulong noiseSeed = PhantomRandom.Derive(plan.Seed, 5).NextUInt64();
        var (ct, labels) = PhantomRasterizer.Render(plan.BodyGeometry, structures, plan.Variation.NoiseSigma, noiseSeed);
        return new Phantom(plan, ct.WithGeometryTyped(plan.Geometry), labels.WithGeometryTyped(plan.Geometry));
    }

    /// <summary>Draws a phantom's patient, range and grid without painting it (cheap).</summary>
    public static PhantomPlan Plan(long seed, int index, PhantomOptions? options = null)
    {
        options ??= new PhantomOptions();
        if (options.Size < 8) throw new ArgumentOutOfRangeException(nameof(options), "size must be at least 8 voxels");
        ulong phantomSeed = PhantomRandom.Derive(unchecked((ulong)seed), (ulong)index).NextUInt64();

        var r = PhantomRandom.Derive(phantomSeed, 1);
        var variation = PatientVariation.Sample(ref r);
        r = PhantomRandom.Derive(phantomSeed, 2);
        var tissues = new TissueTable(variation, ref r);
        r = PhantomRandom.Derive(phantomSeed, 3);
        var body = new BodyPlan(variation, ref r);

        r = PhantomRandom.Derive(phantomSeed, 6);
        var range = ScanRange.Sample(body, ref r, options.Range);
        double dz = options.Spacing?.Z ?? DrawSliceSpacing(range.Length, ref r);
        int slices = options.Slices ?? Math.Max(1, (int)Math.Round(range.Length / dz) + 1);
        double centreZ = (range.ZBottom + range.ZTop) / 2;
        double zBottom = centreZ - (slices - 1) * dz / 2;
        range = range with { ZBottom = zBottom, ZTop = zBottom + (slices - 1) * dz };

        // Field of view: somewhere between just the trunk and the trunk with both arms (arms at
        // the edge of the field are often cut off on real scans), within what scanners use
        // (≈ 36–50 cm, i.e. 0.7–1 mm pixels at 512²).
        double trunkHalf = 0, armsHalf = 0;
        for (int n = 0; n <= 40; n++)
        {
            double z = range.ZBottom + range.Length * n / 40;
            double a = body.SkinTrunk.Frame(z).A;
            trunkHalf = Math.Max(trunkHalf, a);
            armsHalf = Math.Max(armsHalf, a + (z < body.Spine.Thoracic(2).ZCentre && z > body.ZHip ? 85 : 0));
        }
        double fov = Math.Clamp(r.Uniform(2 * trunkHalf + 30, 2 * armsHalf + 20), 360, 500);
        double pixel = fov / options.Size;
        double sx = options.Spacing?.X ?? pixel, sy = options.Spacing?.Y ?? pixel;
        var centreFrame = body.SkinTrunk.Frame(Math.Clamp(centreZ, body.SkinTrunk.Bounds.Min.Z, body.SkinTrunk.Bounds.Max.Z));
        double cx = r.Uniform(-8, 8);
        double cy = centreFrame.Cy + (centreFrame.BPost - centreFrame.BAnt) / 2 + r.Uniform(-10, 10);

        var shape = new Shape3(options.Size, options.Size, slices);
        var spacing = new Vec3(sx, sy, dz);
        double halfX = (shape.X - 1) * sx / 2, halfY = (shape.Y - 1) * sy / 2;
        var (origin, direction) = options.Orientation == PhantomOrientation.Lps
            ? (new Vec3(cx - halfX, cy - halfY, range.ZBottom), Mat3.Identity)
            : (new Vec3(cx + halfX, cy + halfY, range.ZBottom), Mat3.Diagonal(new Vec3(-1, -1, 1)));
        // A table position: the scanner's isocentre near the field's centre, z anywhere.
        var bodyToWorld = new Vec3(-cx + r.Uniform(-5, 5), -cy + r.Uniform(-5, 5), Math.Round(r.Uniform(-1300, -200) * 2) / 2);
        var geometry = new ImageGeometry(shape, spacing, origin + bodyToWorld, direction);
        return new PhantomPlan(IdOf(index), index, phantomSeed, variation, body, tissues, range, geometry, bodyToWorld);
    }

    private static double DrawSliceSpacing(double length, ref PhantomRandom r)
    {
        var allowed = SliceSpacings.Where(s => length / s <= MaxDrawnSlices).ToArray();
        return allowed.Length == 0 ? SliceSpacings[^1] : allowed[r.Int(0, allowed.Length - 1)];
    }
}
