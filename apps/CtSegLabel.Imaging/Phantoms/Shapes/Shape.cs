namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>
/// A solid given by an implicit function: an approximate signed distance in mm, negative inside.
/// Phantoms are rasterised one axial slice at a time, so a shape is asked only for its
/// cross-section at a height z (<see cref="At"/>), which may drop every part that cannot reach that
/// plane — a rib made of 40 segments crosses a slice with three of them. Distances need be exact
/// only near the surface: they drive anti-aliasing and the depth of a bone's cortical shell.
/// </summary>
public abstract class Shape
{
    /// <summary>A box containing every point with a negative distance.</summary>
    public abstract Box3 Bounds { get; }

    /// <summary>The cross-section at height z, or null when the shape does not reach that plane.</summary>
    public abstract Section? At(double z);
}

/// <summary>A shape's cross-section in one axial plane.</summary>
public abstract class Section
{
    /// <summary>A rectangle containing every point with a negative distance.</summary>
    public abstract Box2 Bounds { get; }

    /// <summary>Approximate signed distance (mm) of world point (x, y) in this plane; negative inside.</summary>
    public abstract double Distance(double x, double y);
}
