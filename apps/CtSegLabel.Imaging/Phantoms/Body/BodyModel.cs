namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>All structures of one synthetic patient, region by region, in body coordinates.</summary>
public static class BodyModel
{
    public static IReadOnlyList<Structure> Build(BodyPlan plan, TissueTable tissues, PhantomRandom detail)
    {
        var parts = new BodyParts(plan, tissues, detail);
        Outline.Build(parts);
        Spine.Build(parts);
        RibCage.Build(parts);
        Thorax.Build(parts);
        Abdomen.Build(parts);
        Pelvis.Build(parts);
        Head.Build(parts);
        ShoulderGirdle.Build(parts);
        return parts.Structures;
    }
}
