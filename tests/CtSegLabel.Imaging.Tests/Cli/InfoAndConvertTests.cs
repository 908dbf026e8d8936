using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Cli;

public class InfoAndConvertTests
{
    [Fact]
    public void InfoDescribesTheRealCt()
    {
        var (code, output, _) = Ctseg("info", TestPaths.ExampleCt);
        Assert.Equal(0, code);
        Assert.Contains("datatype:    int16", output);
        Assert.Contains("shape:       122 101 30", output);
        Assert.Contains("spacing:     3 3 3 mm", output);
        Assert.Contains("orientation: RAS", output);
        Assert.Contains("range:       -1100 … 1207", output);
    }

    [Fact]
    public void ConvertKeepsVoxelsTypeAndGeometry()
    {
        using var dir = new TestDir();
        string target = dir.File("ct.nii");
        var (code, _, err) = Ctseg("convert", TestPaths.ExampleCt, target, "--compression", "0");
        Assert.True(code == 0, err);
        var original = (Volume<short>)NiftiFile.Read(TestPaths.ExampleCt);
        var converted = (Volume<short>)VolumeFile.Read(target);
        Assert.Equal(original.Data, converted.Data);
        Assert.True(original.Geometry.SameGrid(converted.Geometry, 1e-5));
    }

    [Fact]
    public void BadFileExitsTwoNamingFileAndField()
    {
        using var dir = new TestDir();
        string bad = dir.File("broken.nii.gz");
        var bytes = File.ReadAllBytes(TestPaths.ExampleCt);
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 3)]);
        var (code, _, err) = Ctseg("info", bad);
        Assert.Equal(2, code);
        Assert.Contains("broken.nii.gz", err);
    }

    [Fact]
    public void UnknownOutputExtensionFailsBeforeWriting()
    {
        using var dir = new TestDir();
        var (code, _, err) = Ctseg("convert", TestPaths.ExampleCt, dir.File("out.mha"));
        Assert.Equal(2, code);
        Assert.Contains("unknown extension", err);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData(new[] { "nosuchcommand" }, "unknown command")]
    [InlineData(new[] { "convert", "only-one-arg.nii" }, "give IN and OUT")]
    [InlineData(new[] { "convert", "a.nii", "b.nii", "--compression", "12" }, "--compression")]
    [InlineData(new[] { "info", "x.nii", "--bogus", "1" }, "unknown option --bogus")]
    public void UsageMistakesExitTwo(string[] args, string message)
    {
        var (code, _, err) = Ctseg(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void MissingInputExitsTwo()
    {
        var (code, _, err) = Ctseg("info", "/nonexistent/ct.nii.gz");
        Assert.Equal(2, code);
        Assert.Contains("no such file", err);
    }
}

public class SegNrrdCliTests
{
    [Fact]
    public void ConvertLabelsToSegNrrdThenInfoListsNamedSegments()
    {
        using var dir = new TestDir();
        string seg = dir.File("labels.seg.nrrd");
        Assert.Equal(0, Ctseg("convert", TestPaths.ExampleSeg, seg).Code);
        var (code, output, _) = Ctseg("info", seg);
        Assert.Equal(0, code);
        Assert.Contains("datatype:    uint8", output);
        Assert.Contains("  spleen  ", output); // value 30 of our class table
        Assert.Contains("label_117", output);  // a value our table lacks keeps a generated name
    }
}
