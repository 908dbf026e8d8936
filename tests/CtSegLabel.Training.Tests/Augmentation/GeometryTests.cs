using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Training.Augmentation;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>
/// Each part of the deformation, with stated parameters, puts a marker where geometry says. An output voxel at c
/// (about the block centre) samples the input at A·c, so a marker at m appears at A⁻¹·m.
/// </summary>
public class GeometryTests
{
    private static AugmentationDraw Only(SpatialDraw spatial) => AugmentationDraw.Nothing with { Spatial = spatial };

    [Fact]
    public void Quarter_turn_about_the_slice_axis_moves_a_voxel_exactly()
    {
        using var scope = NewDisposeScope();
        // 9 × 9 in-plane: the centre is voxel (4, 4). The marker is 3 voxels right of it (x = +3, y = 0).
        var marker = (int d, int h, int w) => d == 1 && h == 4 && w == 7;
        var image = Blocks.Image(4, 9, 9, (d, h, w) => marker(d, h, w) ? 1f : 0f);
        var semantic = Blocks.Labels(4, 9, 9, (d, h, w) => marker(d, h, w) ? 5 : 0);
        var instances = Blocks.Labels(4, 9, 9, (d, h, w) => marker(d, h, w) ? 9 : 0);
        var quarter = SpatialDraw.Identity with { Rotation = new Vec3(0, 0, Math.PI / 2) };

        using var result = BlockAugmenter.Apply(image, semantic, instances, Only(quarter));

        // Rz(90°)⁻¹·(3, 0) = (0, −3): row 4 − 3 = 1, column 4.
        Assert.Equal(5, result.Semantic[0, 1, 1, 4].item<long>());
        Assert.Equal(9, result.Instances[0, 1, 1, 4].item<long>());
        Assert.Equal(1, result.Semantic.count_nonzero().item<long>());
        Assert.Equal(1f, result.Image[0, 0, 1, 1, 4].item<float>(), 4);
        Assert.Equal(1f, result.Image.sum().item<float>(), 4);
    }

    [Theory]
    [InlineData(0.08)]
    [InlineData(-0.05)]
    public void Small_rotation_moves_the_centroid_by_the_rotation(double angle)
    {
        var spatial = SpatialDraw.Identity with { Rotation = new Vec3(0, 0, angle) };
        // Marker 10 voxels right of the centre (x = 15.5 + 10): it lands at R(−θ)·(10, 0) = (10 cos θ, −10 sin θ).
        var expected = new Vec3(15.5 + 10 * Math.Cos(angle), 15.5 - 10 * Math.Sin(angle), 8);
        AssertMarkerLandsAt(spatial, new Vec3(25.5, 15.5, 8), expected);
    }

    [Fact]
    public void Rotation_about_the_row_axis_turns_columns_into_slices()
    {
        // About Y by θ: x_in = cos θ·x + sin θ·z, z_in = −sin θ·x + cos θ·z; the inverse takes (x, z) = (6, 0) to
        // (6 cos θ, 6 sin θ).
        double angle = 0.3;
        var spatial = SpatialDraw.Identity with { Rotation = new Vec3(0, angle, 0) };
        var expected = new Vec3(15.5 + 6 * Math.Cos(angle), 15.5, 7.5 + 6 * Math.Sin(angle));
        AssertMarkerLandsAt(spatial, new Vec3(21.5, 15.5, 7.5), expected);
    }

    [Fact]
    public void Scale_above_one_shrinks_towards_the_centre()
    {
        // The grid samples 1.25× farther out, so a marker 10 voxels out appears 8 voxels out.
        var spatial = SpatialDraw.Identity with { Scale = new Vec3(1.25, 1.25, 1.25) };
        AssertMarkerLandsAt(spatial, new Vec3(25.5, 15.5, 7.5), new Vec3(23.5, 15.5, 7.5));
    }

    [Fact]
    public void Shear_adds_a_multiple_of_the_next_axis()
    {
        // x_in = x + 0.2·y: a marker at (x, y) = (5, 5) about the centre is sampled from output (4, 5).
        var spatial = SpatialDraw.Identity with { Shear = new Vec3(0.2, 0, 0) };
        AssertMarkerLandsAt(spatial, new Vec3(20.5, 20.5, 7.5), new Vec3(19.5, 20.5, 7.5));
    }

    [Fact]
    public void Identity_deformation_samples_every_voxel_at_itself()
    {
        using var scope = NewDisposeScope();
        var image = Blocks.Image(6, 10, 12, (d, h, w) => (float)Math.Sin(d + 0.3 * h + 0.7 * w));
        var semantic = Blocks.Labels(6, 10, 12, (d, h, w) => (d * 31 + h * 7 + w) % 13);
        var instances = Blocks.Labels(6, 10, 12, (d, h, w) => (d + h * w) % 5);

        using var result = BlockAugmenter.Apply(image, semantic, instances, Only(SpatialDraw.Identity));

        Assert.True(Blocks.Same(result.Semantic, semantic));
        Assert.True(Blocks.Same(result.Instances, instances));
        Assert.True((result.Image - image).abs().max().item<float>() < 1e-5f);
    }

    /// <summary>A 3³ cube at <paramref name="at"/> (on voxel centres, or between them for even-sized axes) in a
    /// 16 × 32 × 32 block: after the deformation its image and label centroids are where expected.</summary>
    private static void AssertMarkerLandsAt(SpatialDraw spatial, Vec3 at, Vec3 expected)
    {
        using var scope = NewDisposeScope();
        // Cube voxels: within 1.5 of the marker along each axis (3 voxels when the centre is on a voxel, else 2 or 4).
        bool Inside(int d, int h, int w) => Math.Abs(w - at.X) <= 1.5 && Math.Abs(h - at.Y) <= 1.5 && Math.Abs(d - at.Z) <= 1.5;
        var image = Blocks.Image(16, 32, 32, (d, h, w) => Inside(d, h, w) ? 1f : 0f);
        var semantic = Blocks.Labels(16, 32, 32, (d, h, w) => Inside(d, h, w) ? 1 : 0);
        Assert.True((Blocks.Centroid(image) - at).Norm < 1e-9);

        using var result = BlockAugmenter.Apply(image, semantic, semantic, AugmentationDraw.Nothing with { Spatial = spatial });

        var imageCentre = Blocks.Centroid(result.Image.clamp_min(0));
        var labelCentre = Blocks.Centroid(result.Semantic);
        Assert.True((imageCentre - expected).Norm < 0.15, $"image marker at {imageCentre}, expected {expected}");
        Assert.True((labelCentre - expected).Norm < 0.6, $"label marker at {labelCentre}, expected {expected}");
    }
}
