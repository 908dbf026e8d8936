using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class PreprocessingTests
{
    private static readonly PreprocessingParameters Small = new() { InPlaneSize = 8, SliceSpacingMm = 4 };

    /// <summary>An LPS CT of 20×16×12 voxels: air around a body box (i 3..16, j 2..13, all slices) whose HU changes
    /// differently along every axis, so any flip or swap of axes changes the numbers.</summary>
    internal static Volume<short> Ct()
    {
        var ct = new Volume<short>(new ImageGeometry(new Shape3(20, 16, 12), new Vec3(2, 2.5, 4), new Vec3(-30, 40, 900), Mat3.Identity));
        Array.Fill(ct.Data, (short)-1000);
        for (int k = 0; k < 12; k++)
            for (int j = 2; j < 14; j++)
                for (int i = 3; i < 17; i++)
                    ct[i, j, k] = (short)(20 * i - 15 * j + 30 * k);
        return ct;
    }

    [Theory]
    [InlineData("LPS")]
    [InlineData("RAS")]
    [InlineData("LPI")]
    [InlineData("RAI")]
    [InlineData("PLS")] // in-plane axes swapped
    [InlineData("SLP")] // slices stored sagittally: reoriented before the crop
    public void The_model_grid_is_LPI_from_the_top_and_the_same_for_every_input_orientation(string code)
    {
        var reference = Preprocessing.Run(Ct(), Small)!;
        var input = Reorientation.To(Ct(), code);

        var pre = Preprocessing.Run(input, Small)!;

        Assert.Equal("LPI", pre.Model.Geometry.OrientationCode);
        Assert.Equal(new Shape3(8, 8, 12), pre.Model.Shape);
        Assert.True(pre.Model.Geometry.IndexToWorld(0, 0, 0).Z > pre.Model.Geometry.IndexToWorld(0, 0, 1).Z); // slice 0 is the top
        Assert.Equal(code == "SLP", pre.InputReoriented);
        Assert.True(pre.Model.Geometry.SameGrid(reference.Model.Geometry, 1e-6));
        for (int n = 0; n < reference.Model.Data.Length; n++) Assert.Equal(reference.Model.Data[n], pre.Model.Data[n], 5);
    }

    [Fact]
    public void The_body_box_is_stretched_to_the_model_grid_with_its_outer_edges_kept_and_intensities_mapped()
    {
        var ct = Ct();
        var pre = Preprocessing.Run(ct, Small)!;

        Assert.Equal(new VoxelBox(3, 17, 2, 14, 0, 12), pre.Box);
        // The first model voxel centre lies half a model voxel inside the box's outer corner.
        var corner = ct.Geometry.IndexToWorld(3 - 0.5, 2 - 0.5, 12 - 0.5); // top of the box: slice 0 of the model is the top
        var spacing = pre.Model.Geometry.Spacing;
        Assert.Equal(new Vec3(14 * 2 / 8.0, 12 * 2.5 / 8.0, 4), spacing);
        var expected = corner + new Vec3(spacing.X / 2, spacing.Y / 2, -spacing.Z / 2);
        Assert.True((pre.Model.Geometry.Origin - expected).MaxAbs < 1e-9, $"{pre.Model.Geometry.Origin} vs {expected}");
        // Slice 0 of the model is slice 11 of the CT (same spacing along z, flipped): check a voxel on a CT centre line.
        // Model (0,0,0) lies between CT voxels; its value is the linear mix of the CT's, mapped −700 → 0, 1400 → 1.
        float value = pre.Model[0, 0, 0];
        var index = ct.Geometry.WorldToIndex(pre.Model.Geometry.Origin);
        double hu = 20 * Math.Max(index.X, 3) - 15 * Math.Max(index.Y, 2) + 30 * 11; // clamped to the box's edge voxels
        Assert.Equal((hu + 700) / 2100, value, 4);
    }

    [Fact]
    public void Float_input_and_the_intensity_end_points()
    {
        var ct = new Volume<float>(new ImageGeometry(new Shape3(4, 4, 2), new Vec3(1, 1, 3)));
        Array.Fill(ct.Data, 1400f);
        var pre = Preprocessing.Run(ct, Small with { InPlaneSize = 4, SliceSpacingMm = 3 })!;
        Assert.All(pre.Model.Data, v => Assert.Equal(1f, v));
        Array.Fill(ct.Data, -700f); // below the body threshold? no: −700 < −200, so nothing is body
        Assert.Null(Preprocessing.Run(ct, Small));
        Assert.Equal(0f, Preprocessing.Intensity(-700, Small));
        Assert.Equal(-300 / 2100f, Preprocessing.Intensity(-1000, Small), 6);
    }

    [Fact]
    public void Bad_parameters_are_refused_by_name()
    {
        Assert.Contains("InPlaneSize", Assert.Throws<ArgumentException>(() => Preprocessing.Run(Ct(), Small with { InPlaneSize = 0 })).Message);
        Assert.Contains("WindowOverlap", Assert.Throws<ArgumentException>(() => Preprocessing.Run(Ct(), Small with { WindowOverlap = 1 })).Message);
        Assert.Contains("IntensityOneHu", Assert.Throws<ArgumentException>(() => Preprocessing.Run(Ct(), Small with { IntensityOneHu = -700 })).Message);
    }
}
