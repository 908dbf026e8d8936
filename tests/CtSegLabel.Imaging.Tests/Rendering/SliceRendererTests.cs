using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Rendering;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Rendering;

/// <summary>Display conventions: patient's right on the picture's left, anterior (axial) and superior
/// (coronal, sagittal) at the top, whatever the voxel order; windowing and label blending.</summary>
public class SliceRendererTests
{
    // A 5×5×5 air volume with a bright voxel toward the patient's left, front and top (LPS world +x, −y, +z).
    private static (Volume<short> Ct, Volume<byte> Labels) Marked(bool ras)
    {
        var direction = ras ? Mat3.Diagonal(new Vec3(-1, -1, 1)) : Mat3.Identity;
        var origin = ras ? new Vec3(4, 4, 0) : Vec3.Zero;
        var g = new ImageGeometry(new Shape3(5, 5, 5), Vec3.One, origin, direction);
        var ct = new Volume<short>(g);
        var labels = new Volume<byte>(g);
        Array.Fill(ct.Data, (short)-1000);
        // World (4, 0, 4): patient left, anterior, superior.
        var idx = g.WorldToIndex(new Vec3(4, 0, 4));
        int i = (int)Math.Round(idx.X), j = (int)Math.Round(idx.Y), k = (int)Math.Round(idx.Z);
        ct[i, j, k] = 1000;
        labels[i, j, k] = (byte)CtClassTable.ByName("liver").Value;
        return (ct, labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AxialAndCoronalFollowRadiologicalConvention(bool ras)
    {
        var (ct, labels) = Marked(ras);
        var axial = SliceRenderer.Render(ct, null, SliceView.Axial, 4, style: RenderStyle.Default);
        Assert.Equal((5, 5), (axial.Width, axial.Height));
        // Patient left → picture right (column 4); anterior → top (row 0).
        Assert.Equal(255, axial.Pixels[(0 * 5 + 4) * 3]);
        Assert.Equal(0, axial.Pixels[(0 * 5 + 0) * 3]);
        int coronalSlice = (int)Math.Round(ct.Geometry.WorldToIndex(new Vec3(0, 0, 0)).Y);
        var coronal = SliceRenderer.Render(ct, null, SliceView.Coronal, coronalSlice);
        // Superior → top row; left → right column.
        Assert.Equal(255, coronal.Pixels[(0 * 5 + 4) * 3]);
        Assert.Equal(0, coronal.Pixels[(4 * 5 + 4) * 3]);
        int sagittalSlice = (int)Math.Round(ct.Geometry.WorldToIndex(new Vec3(4, 0, 0)).X);
        var sagittal = SliceRenderer.Render(ct, null, SliceView.Sagittal, sagittalSlice);
        // Anterior → left column, superior → top row.
        Assert.Equal(255, sagittal.Pixels[(0 * 5 + 0) * 3]);
    }

    [Fact]
    public void WindowMapsHuToGreyAndLabelsBlendTheirColour()
    {
        var (ct, labels) = Marked(false);
        ct[0, 0, 4] = 40;
        var style = new RenderStyle { WindowWidth = 400, WindowLevel = 40, LabelOpacity = 0.5 };
        var image = SliceRenderer.Render(ct, labels, SliceView.Axial, 4, CtClassTable.GroundTruth, style);
        Assert.InRange(image.Pixels[0], 127, 128); // level → mid-grey
        var liver = CtClassTable.ByName("liver").Color;
        int o = (0 * 5 + 4) * 3;
        Assert.Equal((byte)Math.Round(0.5 * 255 + 0.5 * liver.R), image.Pixels[o]);
        Assert.Equal((byte)Math.Round(0.5 * 255 + 0.5 * liver.G), image.Pixels[o + 1]);
        Assert.Equal((byte)Math.Round(0.5 * 255 + 0.5 * liver.B), image.Pixels[o + 2]);
    }

    [Fact]
    public void ThickSlicesAreShownOnSquarePixels()
    {
        var g = new ImageGeometry(new Shape3(10, 10, 4), new Vec3(1, 1, 5));
        var ct = new Volume<short>(g);
        var coronal = SliceRenderer.Render(ct, null, SliceView.Coronal, 5);
        Assert.Equal(10, coronal.Width);
        Assert.Equal(16, coronal.Height); // 15 mm of centres at 1 mm pixels
    }

    [Fact]
    public void MismatchedLabelGridOrSliceIsRefused()
    {
        var (ct, _) = Marked(false);
        var other = new Volume<byte>(new ImageGeometry(new Shape3(5, 5, 4), Vec3.One));
        Assert.Throws<ArgumentException>(() => SliceRenderer.Render(ct, other, SliceView.Axial, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceRenderer.Render(ct, null, SliceView.Axial, 5));
    }
}
