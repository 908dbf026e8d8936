using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

public class ComputeDeviceTests
{
    [Fact]
    public void ParsesChoicesAndRefusesUnknownOnes()
    {
        var cpu = ComputeDevice.Choose("cpu", "mixed");
        Assert.Equal(DeviceType.CPU, cpu.Device.type);
        Assert.Equal(Precision.Mixed, cpu.Precision);
        Assert.Equal(ScalarType.BFloat16, cpu.DType);
        Assert.Equal("cpu mixed", cpu.ToString());
        Assert.Equal(ScalarType.Float32, ComputeDevice.Choose("cpu", null).DType);
        Assert.Contains("not one of fp32, bf16, mixed", Assert.Throws<ArgumentException>(() => ComputeDevice.Choose("cpu", "fp8")).Message);
        Assert.Contains("not one of cpu, cuda", Assert.Throws<ArgumentException>(() => ComputeDevice.Choose("tpu", null)).Message);
        if (!cuda.is_available())
            Assert.Contains("no usable CUDA", Assert.Throws<ArgumentException>(() => ComputeDevice.Choose("cuda", null)).Message);
    }

    /// <summary>bf16 on a CPU whose libtorch has no bf16 kernels would take hours per block: refused, naming
    /// the alternatives.</summary>
    [Fact]
    public void Bf16IsRefusedOnlyOnCpusWithoutBf16Kernels()
    {
        if (CpuFeatures.HasBFloat16Kernels)
            Assert.Equal(ScalarType.BFloat16, ComputeDevice.Choose("cpu", "bf16").DType);
        else
        {
            string message = Assert.Throws<ArgumentException>(() => ComputeDevice.Choose("cpu", "bf16")).Message;
            Assert.Contains("'mixed'", message);
            Assert.Contains("'fp32'", message);
        }
    }

    [Fact]
    public void Bf16ForwardStaysCloseToFp32()
    {
        using var net = TinyNetworks.Swin();
        net.eval();
        using var _ = no_grad();
        // Small: without bf16 instructions libtorch's bf16 convolutions run in reference loops.
        using var x = TinyNetworks.Input(32, 32, 32);
        using var reference = net.forward(x);

        var bf16 = new ComputeDevice(CPU, Precision.BFloat16);
        bf16.Place(net);
        using var input = bf16.Place(x);
        using var y = net.forward(input);
        Assert.Equal(ScalarType.BFloat16, y.Semantic.dtype);
        using var scale = reference.Semantic.abs().max();
        double difference = ParityTests.MaxAbsDifference(y.Semantic, reference.Semantic);
        // bf16 keeps 8 significant bits: a few per cent of the logit range, not more.
        Assert.True(difference < 0.05 * scale.item<float>(), $"bf16 differs by {difference} on logits up to {scale.item<float>()}");
    }
}
