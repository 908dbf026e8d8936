namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>A solid described slice by slice: a function from height to cross-section (null where
/// the solid does not reach), with bounds given by its author. Used for bones whose sections
/// change shape along z (sacrum, iliac wing, scapula, sternum).</summary>
public sealed class ProfileShape(Box3 bounds, Func<double, Section?> section) : Shape
{
    public override Box3 Bounds => bounds;

    public override Section? At(double z) => Bounds.ContainsZ(z) ? section(z) : null;
}
