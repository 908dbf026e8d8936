using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// Every random choice made for one block, drawn from the caller's <see cref="Random"/> before any tensor work, so
/// that a seed reproduces a block and tests can state the parameters outright. A transform not applied is null.
/// </summary>
/// <param name="TensorSeed">Seeds the torch generator of the tensor-valued randomness (elastic field, noise).</param>
internal sealed record AugmentationDraw(
    SpatialDraw? Spatial,
    double? NoiseStd,
    double? Gamma,
    double[]? HistogramControlPoints,
    ulong TensorSeed)
{
    public static AugmentationDraw Nothing { get; } = new(null, null, null, null, 0);
}

/// <summary>
/// The affine + elastic deformation of one block. Vectors are in the grid's axis order (X = W, Y = H, Z = D, the
/// project's i, j, k), in voxel index units about the block centre.
/// </summary>
/// <param name="Rotation">Angles about the X, Y and Z axes, radians.</param>
/// <param name="Scale">Factor of each axis of the sampling grid.</param>
/// <param name="Shear">X gains Shear.X·Y, Y gains Shear.Y·Z, Z gains Shear.Z·X: one coefficient per axis.</param>
/// <param name="ElasticMagnitude">Multiplier of the smoothed uniform(−1, 1) offset field, voxels (0: no field).</param>
/// <param name="ElasticSigma">σ of the Gaussian smoothing the offset field, voxels.</param>
internal sealed record SpatialDraw(Vec3 Rotation, Vec3 Scale, Vec3 Shear, double ElasticMagnitude, double ElasticSigma)
{
    public static SpatialDraw Identity { get; } = new(Vec3.Zero, Vec3.One, Vec3.Zero, 0, 1);

    /// <summary>The matrix taking an output position (centred voxel coordinates, elastic offset added) to the input
    /// position it samples: rotation · shear · scale, MONAI's composition order.</summary>
    public Mat3 Matrix()
    {
        double cx = Math.Cos(Rotation.X), sx = Math.Sin(Rotation.X);
        double cy = Math.Cos(Rotation.Y), sy = Math.Sin(Rotation.Y);
        double cz = Math.Cos(Rotation.Z), sz = Math.Sin(Rotation.Z);
        var rotateX = new Mat3(1, 0, 0, 0, cx, -sx, 0, sx, cx);
        var rotateY = new Mat3(cy, 0, sy, 0, 1, 0, -sy, 0, cy);
        var rotateZ = new Mat3(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
        var shear = new Mat3(1, Shear.X, 0, 0, 1, Shear.Y, Shear.Z, 0, 1);
        return rotateX * rotateY * rotateZ * shear * Mat3.Diagonal(Scale);
    }
}
