using CtSegLabel.Imaging.Phantoms.Body;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>Which part of the body a phantom's scan covers.</summary>
public enum RangeKind
{
    /// <summary>Top of the skull to the thighs.</summary>
    WholeBody,
    /// <summary>Lower neck to the upper thighs (chest–abdomen–pelvis).</summary>
    NeckToThigh,
    Thorax,
    AbdomenPelvis,
    HeadNeck,
    /// <summary>A window shorter than one 64-slice training block (19.2 cm) anywhere on the trunk.</summary>
    Short,
}

/// <summary>The axial extent of a scan in body coordinates (mm, z up).</summary>
public sealed record ScanRange(RangeKind Kind, double ZBottom, double ZTop)
{
    public double Length => ZTop - ZBottom;

    private static readonly double[] Weights = [0.2, 0.2, 0.15, 0.15, 0.05, 0.25];

    public static ScanRange Sample(BodyPlan p, ref PhantomRandom r, RangeKind? forced = null)
    {
        var kind = forced ?? (RangeKind)r.Pick(Weights);
        var sp = p.Spine;
        double s = p.S;
        return kind switch
        {
            RangeKind.WholeBody => new(kind, p.ZHip - r.Uniform(150, 330) * s, p.ZVertex + r.Uniform(5, 25)),
            RangeKind.NeckToThigh => new(kind, p.ZHip - r.Uniform(60, 140) * s, sp.Cervical(5).ZCentre + r.Uniform(-10, 30) * s),
            RangeKind.Thorax => new(kind, sp.Lumbar(2).ZCentre + r.Uniform(-20, 20) * s, sp.Cervical(7).ZCentre + r.Uniform(-5, 25) * s),
            RangeKind.AbdomenPelvis => new(kind, p.ZHip - r.Uniform(40, 90) * s, sp.Thoracic(9).ZCentre + r.Uniform(-15, 25) * s),
            RangeKind.HeadNeck => new(kind, sp.Thoracic(r.Int(3, 5)).ZCentre, p.ZVertex + r.Uniform(5, 20)),
            _ => ShortWindow(p, ref r),
        };
    }

    private static ScanRange ShortWindow(BodyPlan p, ref PhantomRandom r)
    {
        double length = r.Uniform(60, 185);
        double centre = r.Uniform(p.ZHip, p.Spine.Thoracic(1).ZCentre);
        return new(RangeKind.Short, centre - length / 2, centre + length / 2);
    }
}
