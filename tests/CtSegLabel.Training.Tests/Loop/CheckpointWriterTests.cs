using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using CtSegLabel.Training.Losses;
using CtSegLabel.Training.Loop;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Loop;

public class CheckpointWriterTests
{
    [Fact]
    public void A_network_trained_in_mixed_precision_takes_a_step_and_is_saved_as_fp32_with_its_trained_weights()
    {
        manual_seed(1);
        var arch = SwinUnetrV2Architecture.Tiny;
        var device = new ComputeDevice(CPU, Precision.Float32).WithPrecision(Precision.Mixed);
        using var network = device.Place(arch.Build());
        using var optimizer = optim.AdamW(network.parameters(), 1e-3);
        Assert.Contains(network.parameters(), p => p.dtype == ScalarType.BFloat16);   // the norms

        using (NewDisposeScope())
        {
            network.train();
            var output = network.forward(device.Place(rand(new long[] { 1, 1, 32, 32, 32 })), withEmbeddings: false);
            var loss = new SoftDiceLoss().Compute(output.Semantic, randint(0, arch.Classes, new long[] { 1, 32, 32, 32 }));
            loss.backward();
            optimizer.step()?.Dispose();
        }

        using var dir = new TestDir();
        string path = dir.File("mixed.ctseg");
        CheckpointWriter.Save(path, network, device, new CheckpointMetadata
        {
            ModelVersion = "test",
            Architecture = arch,
            Labels = Enumerable.Range(0, arch.Classes).Select(i => new LabelEntry(i, i, i == 0 ? ChannelMap.Background : $"class_{i}")).ToList(),
            Provenance = new TrainingProvenance { Trained = true, Source = "training" },
        });

        var (loaded, metadata) = ModelCheckpoint.Load(path);
        using (loaded)
        {
            Assert.All(metadata.Tensors.Where(t => t.DType.Contains("Float", StringComparison.Ordinal) || t.DType.Contains("BFloat", StringComparison.Ordinal)),
                t => Assert.Equal(nameof(ScalarType.Float32), t.DType));
            var trained = network.state_dict();
            foreach (var (name, tensor) in loaded.state_dict())
                Assert.True(tensor.to_type(trained[name].dtype).equal(trained[name]).all().item<bool>(), name);
        }
    }
}
