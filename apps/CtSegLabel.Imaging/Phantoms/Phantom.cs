using CtSegLabel.Imaging.Phantoms.Body;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// Everything that defines one phantom before a voxel is painted: its patient, scan range and
/// grid. Body coordinates (the anatomy's own frame) map to world LPS coordinates by adding
/// <see cref="BodyToWorld"/>, a table position.
/// </summary>
public sealed record PhantomPlan(string Id, int Index, ulong Seed, PatientVariation Variation, BodyPlan Body, TissueTable Tissues,
    ScanRange Range, ImageGeometry Geometry, Vec3 BodyToWorld)
{
    /// <summary>The grid in body coordinates, which the rasteriser samples.</summary>
    public ImageGeometry BodyGeometry => Geometry with { Origin = Geometry.Origin - BodyToWorld };
}

/// <summary>A rendered phantom: CT in HU (int16) and its exact label map (uint8, values of
/// <see cref="Anatomy.CtClassTable.GroundTruth"/>), on the same grid.</summary>
public sealed record Phantom(PhantomPlan Plan, Volume<short> Ct, Volume<byte> Labels)
{
    public string Id => Plan.Id;
}
