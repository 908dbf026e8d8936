using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>An axis-aligned rectangle in an axial plane (mm, world x and y).</summary>
public readonly record struct Box2(double MinX, double MinY, double MaxX, double MaxY)
{
    public static readonly Box2 Empty = new(double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);

    public bool IsEmpty => MinX > MaxX || MinY > MaxY;

    public Box2 Union(Box2 o) => new(Math.Min(MinX, o.MinX), Math.Min(MinY, o.MinY), Math.Max(MaxX, o.MaxX), Math.Max(MaxY, o.MaxY));

    public Box2 Intersect(Box2 o) => new(Math.Max(MinX, o.MinX), Math.Max(MinY, o.MinY), Math.Min(MaxX, o.MaxX), Math.Min(MaxY, o.MaxY));

    public Box2 Inflate(double d) => new(MinX - d, MinY - d, MaxX + d, MaxY + d);

    public static Box2 Around(double cx, double cy, double rx, double ry) => new(cx - rx, cy - ry, cx + rx, cy + ry);
}

/// <summary>An axis-aligned box in world mm: what a shape can possibly occupy.</summary>
public readonly record struct Box3(Vec3 Min, Vec3 Max)
{
    public static readonly Box3 Empty = new(new Vec3(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new Vec3(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity));

    public Box2 XY => new(Min.X, Min.Y, Max.X, Max.Y);

    public bool ContainsZ(double z) => z >= Min.Z && z <= Max.Z;

    public Box3 Union(Box3 o) => new(
        new Vec3(Math.Min(Min.X, o.Min.X), Math.Min(Min.Y, o.Min.Y), Math.Min(Min.Z, o.Min.Z)),
        new Vec3(Math.Max(Max.X, o.Max.X), Math.Max(Max.Y, o.Max.Y), Math.Max(Max.Z, o.Max.Z)));

    public Box3 Intersect(Box3 o) => new(
        new Vec3(Math.Max(Min.X, o.Min.X), Math.Max(Min.Y, o.Min.Y), Math.Max(Min.Z, o.Min.Z)),
        new Vec3(Math.Min(Max.X, o.Max.X), Math.Min(Max.Y, o.Max.Y), Math.Min(Max.Z, o.Max.Z)));

    public Box3 Inflate(double d) => new(Min - new Vec3(d, d, d), Max + new Vec3(d, d, d));

    public static Box3 Around(Vec3 centre, Vec3 halfExtent) => new(centre - halfExtent, centre + halfExtent);
}
