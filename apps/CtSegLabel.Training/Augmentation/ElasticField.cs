using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// The elastic part of the deformation, with the semantics of MONAI's Rand3DElastic: an offset per voxel and axis
/// drawn uniformly from −1…1, smoothed by a Gaussian of σ voxels (truncated at 3σ, zero outside the block), times the
/// magnitude — so the magnitude bounds the offsets and smoothing makes them far smaller (≈ magnitude·0.577/(2√π σ)^1.5
/// rms: about 1.1 voxels for 100 at σ = 4, 0.4 at σ = 8).
/// </summary>
internal static class ElasticField
{
    /// <summary>Offsets (D, H, W, 3) float32 on <paramref name="device"/>, components in the grid's order (X = W,
    /// Y = H, Z = D), in voxels. The uniform draw is made on the CPU from <paramref name="generator"/>, so a seed gives
    /// the same field on every device.</summary>
    public static Tensor Create(long depth, long height, long width, double magnitude, double sigma, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var uniform = rand(new[] { 3, depth, height, width }, ScalarType.Float32, CPU, generator: generator).to(device);
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var scale = magnitude.ToScalar();
        var field = uniform * two - one;
        var kernel = GaussianKernel(sigma, device);
        // Separable: the same 1-D Gaussian along D, H and W (dimensions 1, 2, 3 of the (3, D, H, W) field).
        for (int axis = 1; axis <= 3; axis++)
            field = SmoothAlong(field, axis, kernel);
        return scope.MoveToOuter((field * scale).permute(1, 2, 3, 0).contiguous());
    }

    /// <summary>The normalised Gaussian sampled at integer offsets −r…r, r = ⌈3σ⌉, as a (1, 1, 2r+1) conv1d weight.</summary>
    internal static Tensor GaussianKernel(double sigma, Device device)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var weights = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = -radius; i <= radius; i++) weights[i + radius] = (float)(Math.Exp(-0.5 * i * i / (sigma * sigma)) / sum);
        return tensor(weights, new long[] { 1, 1, weights.Length }, device: device);
    }

    private static Tensor SmoothAlong(Tensor field, int axis, Tensor kernel)
    {
        // conv1d along the last axis of a (rows, 1, length) view: one well-optimised 1-D convolution instead of a
        // grouped 3-D one, whose CPU path unfolds the whole volume per kernel tap.
        var moved = field.transpose(axis, -1);
        var shape = moved.shape;
        long length = shape[^1];
        var rows = moved.reshape(-1, 1, length);
        long radius = (kernel.shape[2] - 1) / 2;
        var smoothed = nn.functional.conv1d(rows, kernel, padding: radius);
        return smoothed.reshape(shape).transpose(axis, -1);
    }
}
