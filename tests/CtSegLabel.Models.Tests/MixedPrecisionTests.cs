using CtSegLabel.Models.Import;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>Mixed precision (<see cref="Precision.Mixed"/>): which tensors it keeps in which dtype, and that
/// its outputs stay close to the PyTorch reference's fp32 outputs on the parity fixtures.</summary>
public class MixedPrecisionTests(ITestOutputHelper log)
{
    private static readonly ComputeDevice Mixed = new(CPU, Precision.Mixed);

    [Theory]
    [InlineData("swinunetr_v2_parity", Precision.Mixed)]
    [InlineData("slice_parity", Precision.Mixed)]
    [InlineData("swinunetr_v2_parity", Precision.BFloat16)]
    [InlineData("slice_parity", Precision.BFloat16)]
    public void OutputsStayCloseToPyTorchFp32(string stem, Precision precision)
    {
        var device = new ComputeDevice(CPU, precision);
        using var net = ModelTestFiles.Architecture(stem).Build();
        WeightImport.FromFile(net, ModelTestFiles.Fixture(stem + ".pt"), strict: true);
        net.eval();
        device.Place(net);
        var io = ModelTestFiles.InputsAndOutputs(stem);
        try
        {
            using var _ = no_grad();
            using var input = device.Place(io["input"]);
            using var output = net.forward(input);
            Assert.Equal(ScalarType.BFloat16, output.Semantic.dtype);
            Assert.Equal(ScalarType.BFloat16, output.Embedding!.dtype);
            foreach (var (name, actual) in new[] { ("semantic", output.Semantic), ("embedding", output.Embedding) })
            {
                using var reference = io[name];
                using var range = reference.abs().max();
                double difference = ParityTests.MaxAbsDifference(actual, reference);
                double relative = difference / range.item<float>();
                log.WriteLine($"{stem} {device} {name}: max |difference| {difference:G3} on values up to {range.item<float>():G3} ({relative:P2})");
                // bf16 keeps 8 significant bits (0.4 % per rounding) and the activations are rounded after every
                // layer: measured 1–6 % of the range at the worst voxel for both precisions. A wrong dtype or
                // a lost weight would be off by the whole range.
                Assert.True(relative < 0.08, $"{name} differs from PyTorch fp32 by {relative:P2} of its range");
            }
        }
        finally
        {
            foreach (var t in io.Values) t.Dispose();
        }
    }

    [Fact]
    public void KeepsComputeLayersInFp32AndTheRestInBf16()
    {
        foreach (var net in new[] { TinyNetworks.Swin(), TinyNetworks.Slice() })
            using (net)
            {
                var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
                Mixed.Place(net);
                // fp32 weights keep their exact values: never rounded through bf16 on the way.
                foreach (var (name, p) in net.named_parameters().Where(p => p.parameter.dtype == ScalarType.Float32))
                    Assert.True(TinyNetworks.Same(p.detach(), before[name]), $"{name} changed");
                foreach (var t in before.Values) t.Dispose();
                int compute = 0, norms = 0;
                foreach (var module in net.modules())
                {
                    var own = module.named_parameters(recurse: false).Select(p => p.parameter.dtype).ToList();
                    if (module is Conv3d or ConvTranspose3d or Linear)
                    {
                        compute++;
                        Assert.All(own, d => Assert.Equal(ScalarType.Float32, d));
                    }
                    else if (module is LayerNorm)
                    {
                        norms++;
                        Assert.All(own, d => Assert.Equal(ScalarType.BFloat16, d));
                    }
                }
                Assert.True(compute > 10 && norms > 2, $"{net.GetName()}: {compute} compute layers, {norms} layer norms");
            }
    }

    /// <summary>The relative-position index is an integer buffer: converting the network to bf16 must not
    /// turn it into bf16 (it holds values up to 2,196, which bf16 cannot all represent).</summary>
    [Theory]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Mixed)]
    public void IntegerBuffersKeepTheirType(Precision precision)
    {
        using var net = TinyNetworks.Swin();
        new ComputeDevice(CPU, precision).Place(net);
        var indices = net.named_buffers().Where(b => b.name.EndsWith("relative_position_index", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(indices);
        Assert.All(indices, b => Assert.Equal(ScalarType.Int64, b.buffer.dtype));
    }

    /// <summary>The dtype casts are differentiable: fine-tuning under mixed precision reaches every weight.</summary>
    [Fact]
    public void GradientsReachEveryParameter()
    {
        using var net = TinyNetworks.Swin();
        Mixed.Place(net);
        net.train();
        using var x = Mixed.Place(TinyNetworks.Input(32, 32, 32));
        using var y = net.forward(x);
        using var loss = y.Semantic.to(float32).square().mean() + y.Embedding!.to(float32).square().mean();
        loss.backward();
        // encoder10 reads a one-voxel bottleneck at 32³, which instance norm maps to zero (NetworkShapeTests).
        var without = net.named_parameters()
            .Where(p => !p.name.StartsWith("encoder10.", StringComparison.Ordinal))
            .Where(p => p.parameter.grad is null || !p.parameter.grad.ne(0).any().item<bool>())
            .Select(p => p.name).ToList();
        Assert.Empty(without);
    }
}
