using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class InputGridTests
{
    private static readonly PreprocessingParameters Small = new() { InPlaneSize = 8, SliceSpacingMm = 4 };

    /// <summary>Model-grid labels numbered by model voxel (1 + linear index), so every voxel's origin is traceable.</summary>
    private static Volume<ushort> Numbered(ImageGeometry model)
    {
        var labels = new Volume<ushort>(model);
        for (int n = 0; n < labels.Data.Length; n++) labels.Data[n] = (ushort)(n + 1);
        return labels;
    }

    [Theory]
    [InlineData("LPS")]
    [InlineData("RAS")]
    [InlineData("RAI")]
    [InlineData("SLP")]
    public void Restore_gives_the_input_grid_and_equals_nearest_onto_the_crop_then_uncrop(string code)
    {
        var input = Reorientation.To(PreprocessingTests.Ct(), code);
        var pre = Preprocessing.Run(input, Small)!;
        var labels = Numbered(pre.Model.Geometry);

        var restored = InputGrid.Restore(labels, pre, input.Geometry);

        Assert.Equal(input.Geometry, restored.Geometry); // the very same geometry, not merely a close one
        // The long way: undo the flip, nearest onto the cropped grid, paste into the box, undo the reorientation.
        var native = Reorientation.To(labels, pre.NativeModelGrid.OrientationCode).WithGeometryTyped(pre.NativeModelGrid);
        var cropGrid = VolumeCrop.CropGeometry(pre.AxialInput, pre.Box);
        var cropped = Resampler.Nearest(native, InputGrid.TieBreak(cropGrid, pre.Model.Geometry)).WithGeometryTyped(cropGrid);
        var uncropped = VolumeCrop.Uncrop(cropped, pre.AxialInput, pre.Box);
        var expected = pre.InputReoriented ? Reorientation.To(uncropped, code) : uncropped;
        Assert.Equal(expected.Data, restored.Data);

        // Input centres on a model cell border (this box of 14 voxels stretched to 8 has some) go to the same physical
        // cell whatever the input's orientation: the result is the LPS one, reoriented.
        var lpsPre = Preprocessing.Run(PreprocessingTests.Ct(), Small)!;
        var lps = InputGrid.Restore(Numbered(lpsPre.Model.Geometry), lpsPre, PreprocessingTests.Ct().Geometry);
        Assert.Equal(Reorientation.To(lps, code).Data, restored.Data);

        // Inside the body box every model voxel shows up; outside it is background.
        Assert.Equal(labels.Data.Length, restored.Data.Where(v => v != 0).Distinct().Count());
        Assert.Equal(20 * 16 * 12 - 14 * 12 * 12, restored.Data.Count(v => v == 0));
    }

    [Fact]
    public void Labels_off_the_model_grid_are_refused()
    {
        var pre = Preprocessing.Run(PreprocessingTests.Ct(), Small)!;
        var wrong = new Volume<ushort>(new ImageGeometry(new Shape3(8, 8, 3), Vec3.One));
        Assert.Throws<ArgumentException>(() => InputGrid.Restore(wrong, pre, PreprocessingTests.Ct().Geometry));
    }
}
