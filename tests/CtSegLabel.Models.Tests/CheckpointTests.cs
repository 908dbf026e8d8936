using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Models.Checkpoints;
using CtSegLabel.Inference.Pipeline;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

public class CheckpointTests
{
    private static CheckpointMetadata Metadata(NetworkArchitecture arch) => new()
    {
        ModelVersion = "1.2.3",
        Architecture = arch,
        Labels = Enumerable.Range(0, arch.Classes).Select(i => new LabelEntry(i, i * 10, i == 0 ? "background" : $"organ {i}")).ToList(),
        ClassVolumes = [new ClassVolumeStatistics(10, "organ 1", 1234.5, 246.9)],
        Provenance = new TrainingProvenance { Trained = true, Source = "training", Dataset = "phantoms", Epochs = 3, Seed = 5 },
    };

    [Fact]
    public void RoundTripKeepsWeightsOutputsAndMetadata()
    {
        using var dir = new TestDir();
        string path = dir.File("slice" + ModelCheckpoint.Extension);
        using var net = TinyNetworks.Slice(seed: 3);
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));

        var (loaded, metadata) = ModelCheckpoint.Load(path, expected: SliceTransformerArchitecture.Tiny);
        using (loaded)
        {
            Assert.Equal("1.2.3", metadata.ModelVersion);
            Assert.Equal("organ 2", metadata.Labels[2].Name);
            Assert.Equal(20, metadata.Labels[2].Value);
            Assert.Equal(1234.5, metadata.ClassVolumes[0].MeanVoxels);
            Assert.Equal("phantoms", metadata.Provenance.Dataset);
            Assert.Equal(-700, metadata.Preprocessing.IntensityZeroHu);
            Assert.Empty(SliceTransformerArchitecture.Tiny.Differences(metadata.Architecture));
            Assert.Equal(net.state_dict().Count, metadata.Tensors.Count);

            net.eval();
            loaded.eval();
            using var _ = no_grad();
            using var x = TinyNetworks.Input(6, 32, 32);
            using var a = net.forward(x);
            using var b = loaded.forward(x);
            Assert.True(TinyNetworks.Same(a.Semantic, b.Semantic));
            Assert.True(TinyNetworks.Same(a.Embedding!, b.Embedding!));
        }
    }

    [Fact]
    public void SavingLeavesNoTemporaryFileAndReplacesAtomically()
    {
        using var dir = new TestDir();
        string path = dir.File("m.ctseg");
        using var net = TinyNetworks.Slice();
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture) with { ModelVersion = "2.0.0" });
        Assert.Equal(["m.ctseg"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal("2.0.0", ModelCheckpoint.ReadMetadata(path).ModelVersion);
    }

    [Fact]
    public void LoadingAnotherArchitectureNamesEveryDifference()
    {
        using var dir = new TestDir();
        string path = dir.File("m.ctseg");
        using var net = TinyNetworks.Slice();
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));
        var expected = SliceTransformerArchitecture.Tiny with { Classes = 7, HiddenSize = 64 };
        var e = Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(path, expected));
        Assert.Equal("architecture", e.Field);
        Assert.Contains("classes: 7 vs 4", e.Message);
        Assert.Contains("hidden_size: 64 vs 32", e.Message);
        Assert.Contains("architecture: swinunetr-v2 vs slice",
            Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(path, SwinUnetrV2Architecture.Tiny)).Message);
    }

    [Fact]
    public void MetadataThatDisagreesWithTheWeightsNamesTheTensor()
    {
        using var dir = new TestDir();
        string path = dir.File("m.ctseg");
        using var net = TinyNetworks.Slice();
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));

        // Claim five classes (and five labels) over weights saved for four.
        RewriteMetadata(path, meta =>
        {
            meta["architecture"]!["classes"] = 5;
            var labels = meta["labels"]!.AsArray();
            labels.Add(new JsonObject { ["channel"] = 4, ["value"] = 99, ["name"] = "extra" });
        });
        var e = Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Equal("tensors", e.Field);
        Assert.Contains("semantic.out.weight has shape [4, 8, 1, 1, 1] in the file, [5, 8, 1, 1, 1] in the network", e.Message);
    }

    [Fact]
    public void LabelsMustCoverEveryOutputChannel()
    {
        using var dir = new TestDir();
        string path = dir.File("m.ctseg");
        using var net = TinyNetworks.Slice();
        var tooFew = Metadata(net.Architecture) with { Labels = [new LabelEntry(0, 0, "background")] };
        Assert.Contains("1 labels for 4 output classes", Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, net, tooFew)).Message);

        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));
        RewriteMetadata(path, meta => meta["labels"]![3]!["value"] = 10);
        var e = Assert.Throws<ModelFormatException>(() => ModelCheckpoint.ReadMetadata(path));
        Assert.Equal("labels", e.Field);
        Assert.Contains("label value 10 is used by more than one channel", e.Message);
    }

    [Fact]
    public void DamagedFilesAreRefusedWithTheirField()
    {
        using var dir = new TestDir();
        string path = dir.File("m.ctseg");
        using var net = TinyNetworks.Slice();
        ModelCheckpoint.Save(path, net, Metadata(net.Architecture));
        byte[] bytes = File.ReadAllBytes(path);

        string truncated = dir.File("truncated.ctseg");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Equal("weights", Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(truncated)).Field);

        string headerOnly = dir.File("header.ctseg");
        File.WriteAllBytes(headerOnly, bytes[..30]);
        Assert.Equal("metadata", Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(headerOnly)).Field);

        string other = dir.File("other.ctseg");
        File.WriteAllText(other, "{\"not\": \"a checkpoint\"}");
        Assert.Equal("format", Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(other)).Field);

        RewriteMetadata(path, meta => meta["architecture"]!["heads"] = 3);
        var e = Assert.Throws<ModelFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Equal("architecture", e.Field);
        Assert.Contains("heads = 3 does not divide hidden_size 32", e.Message);
    }

    /// <summary>Edits the JSON metadata of a checkpoint in place, keeping the weights after it.</summary>
    private static void RewriteMetadata(string path, Action<JsonNode> edit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int header = "CTSEG-CHECKPOINT 1\n".Length;
        long length = BitConverter.ToInt64(bytes, header);
        var node = JsonNode.Parse(Encoding.UTF8.GetString(bytes, header + 8, (int)length))!;
        edit(node);
        byte[] json = Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        using var stream = new MemoryStream();
        stream.Write(bytes, 0, header);
        stream.Write(BitConverter.GetBytes((long)json.Length));
        stream.Write(json);
        stream.Write(bytes, header + 8 + (int)length, bytes.Length - header - 8 - (int)length);
        File.WriteAllBytes(path, stream.ToArray());
    }
}
