using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.Models.Tests;

public class CliModelTests
{
    [Fact]
    public void InitWritesAnUntrainedCheckpointThatInfoDescribes()
    {
        using var dir = new TestDir();
        string path = dir.File("slice.ctseg");
        var (code, output, error) = Ctseg("model", "init", "--arch", "slice", "--config", "tiny", "--classes", "6", "--seed", "4", "--out", path);
        Assert.True(code == 0, error);
        Assert.Contains("untrained", output);

        var metadata = ModelCheckpoint.ReadMetadata(path);
        Assert.False(metadata.Provenance.Trained);
        Assert.Equal("init", metadata.Provenance.Source);
        Assert.Equal(6, metadata.Architecture.Classes);
        Assert.Equal(6, metadata.Labels.Count);

        (code, output, _) = Ctseg("model", "info", path);
        Assert.Equal(0, code);
        Assert.Contains("architecture: slice", output);
        Assert.Contains("\"classes\":6", output);
        Assert.Contains("trained:      no (source: init, seed 4)", output);
        using var net = metadata.Architecture.Build();
        Assert.Contains($"parameters:   {net.ParameterCount:N0}", output);
        Assert.Contains("background", output);
    }

    [Fact]
    public void ImportListsMissingAndUnexpectedKeys()
    {
        using var dir = new TestDir();
        string path = dir.File("swin.ctseg");
        string config = ModelTestFiles.Fixture("swinunetr_v2_parity.json");
        var (code, output, error) = Ctseg("model", "import", ModelTestFiles.Fixture("swin_out_wrapped.pt"), "--arch", "swinunetr-v2",
                                          "--config", config, "--out", path);
        Assert.True(code == 0, error);
        Assert.Contains("loaded 2 tensors", output);
        Assert.Contains("prefix 'module.' stripped", output);
        Assert.Contains("  swinViT.patch_embed.proj.weight", output);
        Assert.Contains("unexpected in the file (0", output);
        var metadata = ModelCheckpoint.ReadMetadata(path);
        Assert.Equal("import", metadata.Provenance.Source);
        Assert.Equal("swin_out_wrapped.pt", metadata.Provenance.ImportedFrom);
        Assert.Contains("swinViT.patch_embed.proj.weight", metadata.Provenance.ImportMissingKeys);
    }

    [Fact]
    public void BadInputExitsWithCodeTwoAndNamesTheProblem()
    {
        using var dir = new TestDir();
        var (code, _, error) = Ctseg("model", "import", ModelTestFiles.Fixture("swinunetr_v2_parity.pt"), "--arch", "swinunetr-v2",
                                     "--config", "tiny", "--out", dir.File("x.ctseg"));
        Assert.Equal(2, code);
        Assert.Contains("swinViT.patch_embed.proj.weight: shape [6, 1, 2, 2, 2] in the file, [12, 1, 2, 2, 2] in the network", error);
        Assert.False(File.Exists(dir.File("x.ctseg")));

        (code, _, error) = Ctseg("model", "info", ModelTestFiles.Fixture("slice_parity.json"));
        Assert.Equal(2, code);
        Assert.Contains("slice_parity.json: format: not a ctseg checkpoint", error);

        (code, _, error) = Ctseg("model", "init", "--arch", "unet", "--out", dir.File("y.ctseg"));
        Assert.Equal(2, code);
        Assert.Contains("architecture 'unet' is not one of swinunetr-v2, slice", error);

        (code, _, error) = Ctseg("model", "init", "--arch", "slice", "--config", "huge", "--out", dir.File("y.ctseg"));
        Assert.Equal(2, code);
        Assert.Contains("config 'huge'", error);
    }
}
