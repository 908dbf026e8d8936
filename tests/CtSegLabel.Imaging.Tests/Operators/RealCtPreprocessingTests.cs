using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

/// <summary>The thesis's preprocessing chain and its inverse on the real example CT and its segmentation.</summary>
public class RealCtPreprocessingTests
{
    [Fact]
    public void CropResampleScaleAndMapLabelsBackOntoTheOriginalGrid()
    {
        var ct = (Volume<short>)NiftiFile.Read(TestPaths.ExampleCt);
        var seg = (Volume<byte>)NiftiFile.Read(TestPaths.ExampleSeg);
        Assert.True(seg.Geometry.SameGrid(ct.Geometry, 1e-6));

        var crop = BodyCrop.Apply(ct);
        var model = ResampleGrid.ForModel(crop.Cropped.Geometry);
        Assert.Equal(new Shape3(128, 128, 30), model.Shape); // 30 slices of 3 mm stay 30
        Assert.True(TestVolumes.MaxCornerDistance(TestVolumes.OuterCorners(crop.Cropped.Geometry), TestVolumes.OuterCorners(model)) < 1e-6);

        var input = IntensityScaling.Apply(Resampler.Linear(crop.Cropped, model));
        Assert.Equal(model, input.Geometry);
        var (min, max) = input.ValueRange();
        var (huMin, huMax) = crop.Cropped.ValueRange();
        // Linear interpolation stays within the source range, and the scaling maps that range linearly.
        Assert.InRange(min, (huMin + 700) / 2100 - 1e-6, 1);
        Assert.InRange(max, 0, (huMax + 700) / 2100 + 1e-6);

        // Labels: down onto the model grid, then back. Mapping onto the cropped grid and pasting must give
        // exactly what mapping straight onto the full original grid gives (the box's outer edges are the model's).
        var lowRes = Resampler.Nearest(VolumeCrop.Crop(seg, crop.Box), model);
        var viaCrop = VolumeCrop.Uncrop(Resampler.Nearest(lowRes, crop.Cropped.Geometry), ct.Geometry, crop.Box);
        var direct = Resampler.Nearest(lowRes, ct.Geometry);
        Assert.Equal(viaCrop.Data, direct.Data);

        // This scan's body fills the field of view (box ≈ 121×96 voxels of 3 mm), so the model grid is finer
        // than the original on every axis. Then each original centre lies strictly inside the model cell
        // whose centre lies inside that original voxel: the round trip must reproduce the labels exactly.
        for (int c = 0; c < 3; c++) Assert.True(model.Spacing[c] <= ct.Geometry.Spacing[c] + 1e-9);
        long labelled = 0;
        for (int k = 0; k < ct.Shape.Z; k++)
            for (int j = 0; j < ct.Shape.Y; j++)
                for (int i = 0; i < ct.Shape.X; i++)
                {
                    byte expected = crop.Box.Contains(i, j, k) ? seg[i, j, k] : (byte)0;
                    if (direct[i, j, k] != expected) Assert.Fail($"voxel ({i},{j},{k}): {direct[i, j, k]} instead of {expected}");
                    if (expected != 0) labelled++;
                }
        Assert.True(labelled > 100_000); // the comparison covered the real annotation
    }
}
