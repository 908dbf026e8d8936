using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Tests.Rendering;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Phantoms;

/// <summary>`ctseg phantom` and `ctseg snapshot` end to end, through real files.</summary>
public class PhantomCommandTests
{
    private static readonly string[] SmallArgs = ["--size", "40", "--spacing", "9,9,8", "--range", "abdomen-pelvis"];

    [Fact]
    public void WritesAStudiesFolderWithLabelsAndClassTable()
    {
        using var dir = new TestDir();
        var (code, output, err) = Ctseg(["phantom", "--out", dir.Path, "--count", "2", "--seed", "11", .. SmallArgs]);
        Assert.True(code == 0, err);
        Assert.Contains("phantom_0000", output);
        Assert.Contains("phantom_0001", output);
        var classes = ClassTableJson.Read(Path.Combine(dir.Path, "classes.json"));
        Assert.Equal(CtClassTable.GroundTruth, classes);
        var known = classes.Select(c => c.Value).Append(0).ToHashSet();
        foreach (string id in new[] { "phantom_0000", "phantom_0001" })
        {
            var ct = Assert.IsType<Volume<short>>(NiftiFile.Read(Path.Combine(dir.Path, id + ".nii.gz")));
            var labels = Assert.IsType<Volume<byte>>(NiftiFile.Read(Path.Combine(dir.Path, "labels", "final", id + ".nii.gz")));
            Assert.True(ct.Geometry.SameGrid(labels.Geometry, 1e-5));
            Assert.Equal(new Vec3(9, 9, 8), ct.Geometry.Spacing);
            Assert.Equal("LPS", ct.Geometry.OrientationCode);
            Assert.Subset(known, labels.Data.Distinct().Select(v => (int)v).ToHashSet());
            Assert.Contains(labels.Data, v => v == CtClassTable.ByName("liver").Value);
            // What was written is what the generator makes.
            var expected = PhantomGenerator.Generate(11, id.EndsWith('0') ? 0 : 1,
                new PhantomOptions { Size = 40, Spacing = new Vec3(9, 9, 8), Range = RangeKind.AbdomenPelvis });
            Assert.Equal(expected.Ct.Data, ct.Data);
            Assert.Equal(expected.Labels.Data, labels.Data);
            Assert.True(expected.Ct.Geometry.SameGrid(ct.Geometry, 1e-4));
        }
    }

    [Fact]
    public void SameArgumentsGiveTheSameBytes()
    {
        using var a = new TestDir();
        using var b = new TestDir();
        string[] args = ["--count", "1", "--seed", "5", "--slices", "7", "--orientation", "RAS", .. SmallArgs];
        Assert.Equal(0, Ctseg(["phantom", "--out", a.Path, .. args]).Code);
        Assert.Equal(0, Ctseg(["phantom", "--out", b.Path, .. args]).Code);
        foreach (string rel in new[] { "phantom_0000.nii.gz", Path.Combine("labels", "final", "phantom_0000.nii.gz"), "classes.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, rel)), File.ReadAllBytes(Path.Combine(b.Path, rel)));
        var ct = NiftiFile.Read(Path.Combine(a.Path, "phantom_0000.nii.gz"));
        Assert.Equal(7, ct.Shape.Z);
        Assert.Equal("RAS", ct.Geometry.OrientationCode);
    }

    [Fact]
    public void SnapshotRendersAPng()
    {
        using var dir = new TestDir();
        Assert.Equal(0, Ctseg(["phantom", "--out", dir.Path, "--seed", "2", .. SmallArgs]).Code);
        string png = dir.File("coronal.png");
        var (code, output, err) = Ctseg("snapshot", "--image", dir.File("phantom_0000.nii.gz"),
            "--label", Path.Combine(dir.Path, "labels", "final", "phantom_0000.nii.gz"), "--out", png, "--view", "coronal", "--window", "1500,300",
            "--classes", dir.File("classes.json"));
        Assert.True(code == 0, err);
        Assert.Contains("coronal slice 20 of 40", output);
        var (width, height, rgb) = PngDecoder.Decode(File.ReadAllBytes(png));
        Assert.Equal(40, width);
        Assert.True(height > 10);
        // Some pixels carry a label colour (not grey).
        Assert.Contains(Enumerable.Range(0, width * height), p => rgb[3 * p] != rgb[3 * p + 1] || rgb[3 * p + 1] != rgb[3 * p + 2]);
    }

    [Theory]
    [InlineData("phantom", "--out", "X", "--orientation", "RPI")]
    [InlineData("phantom", "--out", "X", "--spacing", "1,2")]
    [InlineData("phantom", "--out", "X", "--spacing", "1,0,2")]
    [InlineData("phantom", "--out", "X", "--size", "4")]
    [InlineData("phantom", "--out", "X", "--range", "leg")]
    [InlineData("phantom", "--out", "X", "--seed", "abc")]
    [InlineData("phantom", "--out", "X", "--colour", "red")]
    [InlineData("phantom", "--count", "2")]
    [InlineData("snapshot", "--image", "missing.nii.gz", "--out", "x.png")]
    [InlineData("snapshot", "--image", "missing.nii.gz", "--out", "x.png", "--view", "oblique")]
    public void BadArgumentsExitTwo(params string[] args)
    {
        using var dir = new TestDir();
        var fixedArgs = args.Select(a => a == "X" ? dir.File("out") : a).ToArray();
        var (code, _, err) = Ctseg(fixedArgs);
        Assert.Equal(2, code);
        Assert.NotEmpty(err);
    }
}
