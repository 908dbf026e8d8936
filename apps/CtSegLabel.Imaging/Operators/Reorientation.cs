using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// Exact reorientation: permuting and flipping voxel axes so that they point as an orientation code says
/// (nibabel's convention, as <see cref="ImageGeometry.OrientationCode"/>: each letter is the direction the
/// axis increases toward, e.g. "LPS" for ITK/DICOM, "RAS" for NIfTI viewers). No interpolation: every
/// voxel keeps its value and its world position; only its index changes. Going back is reorienting to the
/// original code.
/// </summary>
public static class Reorientation
{
    /// <summary>The geometry after reorienting to <paramref name="code"/>.</summary>
    public static ImageGeometry Geometry(ImageGeometry geometry, string code) => Plan(geometry, code).Target;

    public static Volume<T> To<T>(Volume<T> volume, string code) where T : unmanaged, INumber<T>
    {
        var plan = Plan(volume.Geometry, code);
        var output = Volume<T>.Uninitialized(plan.Target);
        var src = volume.Data;
        var dst = output.Data;
        var outShape = plan.Target.Shape;
        Parallel.For(0, outShape.Z, k =>
        {
            int n = (int)outShape.Index(0, 0, k);
            int width = outShape.X;
            for (int j = 0; j < outShape.Y; j++, n += width)
            {
                long s = plan.Base + plan.Step2 * k + plan.Step1 * j;
                var row = dst.AsSpan(n, width);
                // The common cases (i kept or flipped, e.g. LPS ↔ RAS) are contiguous rows: copy, then reverse.
                if (plan.Step0 == 1) src.AsSpan((int)s, width).CopyTo(row);
                else if (plan.Step0 == -1)
                {
                    src.AsSpan((int)(s - width + 1), width).CopyTo(row);
                    row.Reverse();
                }
                else
                    for (int i = 0; i < width; i++, s += plan.Step0) row[i] = src[s];
            }
        });
        return output;
    }

    /// <summary>Target geometry, and the source linear index of target voxel (i, j, k) as Base + i·Step0 + j·Step1 + k·Step2.</summary>
    private readonly record struct ReorientPlan(ImageGeometry Target, long Base, long Step0, long Step1, long Step2);

    private static ReorientPlan Plan(ImageGeometry geometry, string code)
    {
        var target = ParseCode(code, nameof(code));
        string sourceCode = geometry.OrientationCode;
        var source = ParseCode(sourceCode, null)
            ?? throw new ArgumentException(
                $"the volume's axes are too oblique to name ({sourceCode}: two axes point mostly the same way); it cannot be reoriented exactly",
                nameof(geometry));
        var shape = geometry.Shape;
        long[] stride = [1, shape.X, (long)shape.X * shape.Y];
        var sizes = new int[3];
        var spacing = new double[3];
        var columns = new Vec3[3];
        var steps = new long[3];
        var firstVoxel = new double[3];
        long start = 0;
        for (int a = 0; a < 3; a++)
        {
            int c = Array.FindIndex(source!, s => s.Axis == target![a].Axis);
            bool flip = source![c].Positive != target![a].Positive;
            sizes[a] = shape[c];
            spacing[a] = geometry.Spacing[c];
            columns[a] = flip ? -geometry.Direction.Column(c) : geometry.Direction.Column(c);
            steps[a] = flip ? -stride[c] : stride[c];
            if (flip)
            {
                start += (shape[c] - 1) * stride[c];
                firstVoxel[c] = shape[c] - 1;
            }
        }
        var targetGeometry = new ImageGeometry(
            new Shape3(sizes[0], sizes[1], sizes[2]),
            new Vec3(spacing[0], spacing[1], spacing[2]),
            geometry.IndexToWorld(firstVoxel[0], firstVoxel[1], firstVoxel[2]),
            Mat3.FromColumns(columns[0], columns[1], columns[2]));
        return new ReorientPlan(targetGeometry, start, steps[0], steps[1], steps[2]);
    }

    /// <summary>For each voxel axis: the anatomical axis (0 = L/R, 1 = P/A, 2 = S/I) and whether it points to
    /// L, P or S. Null (or an exception when <paramref name="paramName"/> is given) if the code is not a
    /// permutation of the three anatomical axes.</summary>
    private static (int Axis, bool Positive)[]? ParseCode(string code, string? paramName)
    {
        var parsed = new (int Axis, bool Positive)[3];
        bool ok = code is { Length: 3 };
        for (int a = 0; ok && a < 3; a++)
        {
            (int axis, bool positive) = char.ToUpperInvariant(code[a]) switch
            {
                'L' => (0, true), 'R' => (0, false),
                'P' => (1, true), 'A' => (1, false),
                'S' => (2, true), 'I' => (2, false),
                _ => (-1, false),
            };
            parsed[a] = (axis, positive);
            ok = axis >= 0;
        }
        ok = ok && parsed[0].Axis != parsed[1].Axis && parsed[0].Axis != parsed[2].Axis && parsed[1].Axis != parsed[2].Axis;
        if (ok) return parsed;
        if (paramName is null) return null;
        throw new ArgumentException($"'{code}' is not an orientation code: three letters, one each of L/R, P/A and S/I (e.g. LPS, RAS)", paramName);
    }
}
