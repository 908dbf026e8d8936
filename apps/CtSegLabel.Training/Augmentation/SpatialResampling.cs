using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// Affine + elastic deformation as one grid sample: every output voxel samples the input at A·(c + u(c)), c its
/// position in voxel index units about the block centre, u the elastic offset, A the drawn affine (MONAI's
/// Rand3DElastic order: offsets first, then the affine). The image is sampled trilinearly, the labels by nearest
/// neighbour on exactly the same grid, both with 0 outside the block.
/// </summary>
internal static class SpatialResampling
{
    /// <summary>The grid_sample grid (1, D, H, W, 3) float32 on <paramref name="device"/>, normalised with
    /// align_corners = true (−1 and +1 are the centres of the first and last voxel, so index space maps exactly).</summary>
    /// <param name="offsets">Elastic offsets (D, H, W, 3) in voxels, or null.</param>
    public static Tensor SamplingGrid(long depth, long height, long width, SpatialDraw draw, Tensor? offsets, Device device)
    {
        using var scope = NewDisposeScope();
        var size = new[] { depth, height, width };
        using var cx = ((width - 1) / 2.0).ToScalar();
        using var cy = ((height - 1) / 2.0).ToScalar();
        using var cz = ((depth - 1) / 2.0).ToScalar();
        var x = (arange(width, ScalarType.Float32, device) - cx).view(1, 1, width).expand(size);
        var y = (arange(height, ScalarType.Float32, device) - cy).view(1, height, 1).expand(size);
        var z = (arange(depth, ScalarType.Float32, device) - cz).view(depth, 1, 1).expand(size);
        var centred = stack(new[] { x, y, z }, -1);
        if (offsets is not null) centred = centred + offsets;

        var a = draw.Matrix();
        var transposed = tensor(new float[]
        {
            (float)a.M00, (float)a.M10, (float)a.M20,
            (float)a.M01, (float)a.M11, (float)a.M21,
            (float)a.M02, (float)a.M12, (float)a.M22,
        }, new long[] { 3, 3 }, device: device);
        var sampled = centred.matmul(transposed);
        var halfExtent = tensor(new[] { (width - 1) / 2f, (height - 1) / 2f, (depth - 1) / 2f }, device: device);
        return scope.MoveToOuter((sampled / halfExtent).unsqueeze(0));
    }

    /// <summary>The image (1, 1, D, H, W) float32 resampled trilinearly on <paramref name="grid"/>.</summary>
    public static Tensor Image(Tensor image, Tensor grid) =>
        nn.functional.grid_sample(image, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: true);

    /// <summary>The semantic and instance maps (1, D, H, W) int64 resampled by nearest neighbour on the same grid as
    /// the image, in one call: every output value is one of the input's values (or 0 outside), never a blend. Sampled
    /// as float64, exact for any id below 2⁵³.</summary>
    public static (Tensor Semantic, Tensor Instances) Labels(Tensor semantic, Tensor instances, Tensor grid)
    {
        using var scope = NewDisposeScope();
        var channels = stack(new[] { semantic, instances }, 1).to_type(ScalarType.Float64);
        var sampled = nn.functional.grid_sample(channels, grid.to_type(ScalarType.Float64), GridSampleMode.Nearest,
            GridSamplePaddingMode.Zeros, align_corners: true).to_type(ScalarType.Int64);
        return (scope.MoveToOuter(sampled[.., 0]), scope.MoveToOuter(sampled[.., 1]));
    }
}
