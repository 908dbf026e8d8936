using CtSegLabel.Models.Import;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

public class ImportTests
{
    private const string Stem = "swinunetr_v2_parity";

    [Fact]
    public void RenamedKeyIsNamedInTheError()
    {
        using var net = ModelTestFiles.Architecture(Stem).Build();
        var weights = StateDictFile.Read(ModelTestFiles.Fixture(Stem + ".pt"));
        const string original = "swinViT.layers2.0.blocks.1.attn.qkv.weight";
        const string renamed = "swinViT.layers2.0.blocks.1.attn.qkv_renamed.weight";
        weights[renamed] = weights[original];
        weights.Remove(original);

        var e = Assert.Throws<ModelFormatException>(() => WeightImport.Apply(net, weights, "renamed.pt", strict: true));
        Assert.Equal(original, e.Field);
        Assert.Contains($"missing from the file: {original}", e.Message);
        Assert.Contains($"not in the network: {renamed}", e.Message);

        var report = WeightImport.Apply(net, weights, "renamed.pt", strict: false);
        Assert.Equal([original], report.Missing);
        Assert.Equal([renamed], report.Unexpected);
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void ShapeMismatchIsRefusedWithTheKey()
    {
        var arch = (SwinUnetrV2Architecture)ModelTestFiles.Architecture(Stem) with { Classes = 5 };
        using var net = arch.Build();
        var e = Assert.Throws<ModelFormatException>(() => WeightImport.FromFile(net, ModelTestFiles.Fixture(Stem + ".pt"), strict: false));
        Assert.Equal("out.conv.conv.weight", e.Field);
        Assert.Contains("shape [3, 6, 1, 1, 1] in the file, [5, 6, 1, 1, 1] in the network", e.Message);
    }

    [Theory]
    [InlineData("swin_out_wrapped.pt", "module.")]
    [InlineData("swin_out.safetensors", null)]
    public void WrappedPrefixedAndSafetensorsFilesLoad(string file, string? prefix)
    {
        using var net = ModelTestFiles.Architecture(Stem).Build();
        var report = WeightImport.FromFile(net, ModelTestFiles.Fixture(file), strict: false);
        Assert.Equal(prefix, report.StrippedPrefix);
        Assert.Equal(["out.conv.conv.bias", "out.conv.conv.weight"], report.Loaded.Order());
        Assert.Empty(report.Unexpected);
        Assert.Contains("swinViT.patch_embed.proj.weight", report.Missing);
        // relative_position_index is derived from the window size, never reported missing.
        Assert.DoesNotContain(report.Missing, k => k.EndsWith("relative_position_index"));

        using var reference = ModelTestFiles.Architecture(Stem).Build();
        WeightImport.FromFile(reference, ModelTestFiles.Fixture(Stem + ".pt"), strict: true);
        var mine = net.state_dict();
        var theirs = reference.state_dict();
        Assert.True(TinyNetworks.Same(mine["out.conv.conv.weight"], theirs["out.conv.conv.weight"]));
        Assert.True(TinyNetworks.Same(mine["out.conv.conv.bias"], theirs["out.conv.conv.bias"]));
    }

    [Fact]
    public void ConvertsDtypes()
    {
        // The parity fixture stores float16 weights; the network is float32 and must hold the same values.
        using var net = ModelTestFiles.Architecture(Stem).Build();
        WeightImport.FromFile(net, ModelTestFiles.Fixture(Stem + ".pt"), strict: true);
        var file = StateDictFile.Read(ModelTestFiles.Fixture(Stem + ".pt"));
        var w = net.state_dict()["encoder10.layer.conv1.conv.weight"];
        Assert.Equal(ScalarType.Float16, file["encoder10.layer.conv1.conv.weight"].dtype);
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.True(TinyNetworks.Same(w, file["encoder10.layer.conv1.conv.weight"].to(float32)));
        foreach (var t in file.Values) t.Dispose();
    }

    [Fact]
    public void WrongRelativePositionIndexIsRefused()
    {
        using var net = ModelTestFiles.Architecture(Stem).Build();
        var weights = StateDictFile.Read(ModelTestFiles.Fixture(Stem + ".pt"));
        const string key = "swinViT.layers1.0.blocks.0.attn.relative_position_index";
        weights[key] = net.state_dict()[key].flip(0);
        var e = Assert.Throws<ModelFormatException>(() => WeightImport.Apply(net, weights, "x.pt", strict: true));
        Assert.Equal(key, e.Field);
        foreach (var t in weights.Values) t.Dispose();
    }

    [Theory]
    [InlineData("legacy_format.pt")]
    [InlineData("swinunetr_v2_parity.json")]
    public void UnreadableFilesAreRefusedWithTheirName(string file)
    {
        string path = ModelTestFiles.Fixture(file);
        var e = Assert.Throws<ModelFormatException>(() => StateDictFile.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Equal("state_dict", e.Field);
    }
}
