namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>Constructive solid geometry on signed distances: union is the minimum, intersection
/// the maximum, a difference the maximum with the negated subtrahend. The results are distance
/// bounds rather than exact distances, which is all anti-aliasing and cortical shells need.</summary>
public static class Csg
{
    /// <summary>Once part of an intersection is this far outside (mm), the whole is outside and the
    /// other parts are not evaluated. The rasteriser only needs exact values within half a pixel of
    /// a surface, and a smaller value is always a safe bound for its block tests.</summary>
    internal const double FarOutside = 4.0;

    public static Shape Union(params Shape[] parts) => parts.Length == 1 ? parts[0] : new UnionShape(parts);

    public static Shape Intersect(params Shape[] parts) => parts.Length == 1 ? parts[0] : new IntersectShape(parts);

    public static Shape Subtract(Shape from, params Shape[] holes) => holes.Length == 0 ? from : new DifferenceShape(from, holes);

    /// <summary>Grows (positive mm) or shrinks (negative) a solid by moving its surface along the normal.</summary>
    public static Shape Offset(Shape shape, double mm) => new OffsetShape(shape, mm);

    /// <summary>Keeps the part of a solid where <paramref name="cut"/>(x, y, z) is negative, e.g.
    /// below a diaphragm dome (cut = z − dome(x, y)); cut should grow like a distance in mm.</summary>
    public static Shape Clip(Shape shape, Func<double, double, double, double> cut) => new ClipShape(shape, cut);

    /// <summary>Keeps the slab zMin ≤ z ≤ zMax: where one label ends and the next begins along a
    /// vessel, a flat boundary rather than two overlapping round caps.</summary>
    public static Shape ClipZ(Shape shape, double zMin, double zMax) => new ZClipShape(shape, zMin, zMax);

    private sealed class UnionShape : Shape
    {
        private readonly Shape[] _parts;

        public UnionShape(Shape[] parts)
        {
            _parts = parts;
            Bounds = parts.Aggregate(Box3.Empty, (b, p) => b.Union(p.Bounds));
        }

        public override Box3 Bounds { get; }

        public override Section? At(double z)
        {
            if (!Bounds.ContainsZ(z)) return null;
            List<Section>? sections = null;
            foreach (var p in _parts)
                if (p.At(z) is { } s) (sections ??= []).Add(s);
            if (sections is null) return null;
            if (sections.Count == 1) return sections[0];
            var arr = sections.ToArray();
            return new FuncSection(arr.Aggregate(Box2.Empty, (b, s) => b.Union(s.Bounds)), (x, y) =>
            {
                double d = double.PositiveInfinity;
                foreach (var s in arr) d = Math.Min(d, s.Distance(x, y));
                return d;
            });
        }
    }

    private sealed class IntersectShape : Shape
    {
        private readonly Shape[] _parts;

        public IntersectShape(Shape[] parts)
        {
            _parts = parts;
            Bounds = parts.Skip(1).Aggregate(parts[0].Bounds, (b, p) => b.Intersect(p.Bounds));
        }

        public override Box3 Bounds { get; }

        public override Section? At(double z)
        {
            if (!Bounds.ContainsZ(z)) return null;
            var arr = new Section[_parts.Length];
            var box = new Box2(double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity);
            for (int n = 0; n < arr.Length; n++)
            {
                if (_parts[n].At(z) is not { } s) return null;
                arr[n] = s;
                box = box.Intersect(s.Bounds);
            }
            if (box.IsEmpty) return null;
            return new FuncSection(box, (x, y) =>
            {
                double d = double.NegativeInfinity;
                foreach (var s in arr)
                {
                    d = Math.Max(d, s.Distance(x, y));
                    if (d >= FarOutside) break;
                }
                return d;
            });
        }
    }

    private sealed class DifferenceShape(Shape from, Shape[] holes) : Shape
    {
        public override Box3 Bounds => from.Bounds;

        public override Section? At(double z)
        {
            if (from.At(z) is not { } s) return null;
            var cut = holes.Select(h => h.At(z)).OfType<Section>().ToArray();
            if (cut.Length == 0) return s;
            return new FuncSection(s.Bounds, (x, y) =>
            {
                double d = s.Distance(x, y);
                if (d >= FarOutside) return d;
                foreach (var c in cut) d = Math.Max(d, -c.Distance(x, y));
                return d;
            });
        }
    }

    private sealed class OffsetShape(Shape shape, double mm) : Shape
    {
        public override Box3 Bounds { get; } = mm > 0 ? shape.Bounds.Inflate(mm) : shape.Bounds;

        public override Section? At(double z)
        {
            if (!Bounds.ContainsZ(z)) return null;
            // Above or below the original, a grown solid is the original's nearest section grown
            // by what is left of the offset after the vertical gap (a rounded cap).
            double zc = Math.Clamp(z, shape.Bounds.Min.Z, shape.Bounds.Max.Z);
            if (shape.At(zc) is not { } s) return null;
            double grow = zc == z ? mm : Math.Sqrt(Math.Max(0, mm * mm - (z - zc) * (z - zc)));
            return new FuncSection(grow > 0 ? s.Bounds.Inflate(grow) : s.Bounds, (x, y) => s.Distance(x, y) - grow);
        }
    }

    private sealed class ClipShape(Shape shape, Func<double, double, double, double> cut) : Shape
    {
        public override Box3 Bounds => shape.Bounds;

        public override Section? At(double z)
        {
            if (shape.At(z) is not { } s) return null;
            return new FuncSection(s.Bounds, (x, y) =>
            {
                double c = cut(x, y, z);
                return c >= FarOutside ? c : Math.Max(c, s.Distance(x, y));
            });
        }
    }

    private sealed class ZClipShape(Shape shape, double zMin, double zMax) : Shape
    {
        public override Box3 Bounds { get; } = new(shape.Bounds.Min with { Z = Math.Max(shape.Bounds.Min.Z, zMin) },
            shape.Bounds.Max with { Z = Math.Min(shape.Bounds.Max.Z, zMax) });

        public override Section? At(double z) => Bounds.ContainsZ(z) ? shape.At(z) : null;
    }
}
