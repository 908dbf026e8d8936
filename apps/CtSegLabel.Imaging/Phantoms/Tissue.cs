namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// How a structure looks on CT: one Hounsfield value inside, and for bone a denser cortical shell
/// of the given thickness at the surface (a vertebral body is cancellous bone wrapped in cortex).
/// </summary>
public readonly record struct Tissue(float Hu, float CortexHu, float CortexMm)
{
    public static Tissue Uniform(double hu) => new((float)hu, (float)hu, 0);

    public static Tissue Bone(double interiorHu, double cortexHu, double cortexMm) => new((float)interiorHu, (float)cortexHu, (float)cortexMm);

    /// <summary>HU at signed distance d from the surface (negative inside).</summary>
    public float At(double d) => d > -CortexMm ? CortexHu : Hu;
}
