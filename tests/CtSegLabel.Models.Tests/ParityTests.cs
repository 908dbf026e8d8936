using CtSegLabel.Models.Import;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>The TorchSharp networks compute what the PyTorch reference (tools/reference) computes with the
/// same weights and input, within 1e-4 in fp32.</summary>
public class ParityTests(ITestOutputHelper log)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("swinunetr_v2_parity")]
    [InlineData("slice_parity")]
    public void MatchesPyTorchReference(string stem)
    {
        var arch = ModelTestFiles.Architecture(stem);
        using var net = arch.Build();
        var report = WeightImport.FromFile(net, ModelTestFiles.Fixture(stem + ".pt"), strict: true);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        net.eval();

        var io = ModelTestFiles.InputsAndOutputs(stem);
        try
        {
            using var _ = no_grad();
            using var output = net.forward(io["input"]);
            Assert.Equal(io["semantic"].shape, output.Semantic.shape);
            Assert.Equal(io["embedding"].shape, output.Embedding!.shape);
            double semantic = MaxAbsDifference(output.Semantic, io["semantic"]);
            double embedding = MaxAbsDifference(output.Embedding, io["embedding"]);
            log.WriteLine($"{stem}: max |difference| semantic {semantic:G3}, embedding {embedding:G3}");
            Assert.True(semantic < Tolerance, $"semantic logits differ by up to {semantic:G3}");
            Assert.True(embedding < Tolerance, $"embeddings differ by up to {embedding:G3}");
            // Outputs that vary: a network that returned zeros would match zeros only.
            Assert.True(io["semantic"].std().item<float>() > 0.01f);
        }
        finally
        {
            foreach (var t in io.Values) t.Dispose();
        }
    }

    /// <summary>Window attention has two paths: a fused one that autograd can differentiate, and an
    /// in-place one for inference that holds a single score tensor. The parity fixture checks the second;
    /// this checks the first against it.</summary>
    [Fact]
    public void TrainingAndInferenceAttentionPathsAgree()
    {
        using var net = TinyNetworks.Swin();
        net.eval();
        using var x = TinyNetworks.Input(32, 32, 64);
        using var withGrad = net.forward(x);
        Assert.True(withGrad.Semantic.requires_grad);
        using var _ = no_grad();
        using var inference = net.forward(x);
        double difference = MaxAbsDifference(withGrad.Semantic, inference.Semantic);
        Assert.True(difference < 1e-5, $"the two attention paths differ by {difference:G3}");
    }

    internal static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var d = (a.to(float32) - b.to(float32)).abs().max();
        return d.item<float>();
    }
}
