using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

public class NetworkShapeTests
{
    [Theory]
    [InlineData(32, 64, 64)]
    [InlineData(64, 32, 32)]
    [InlineData(32, 32, 96)]
    public void SwinOutputsMatchTheInputGrid(long d, long h, long w)
    {
        using var net = TinyNetworks.Swin();
        net.eval();
        using var _ = no_grad();
        using var x = TinyNetworks.Input(d, h, w);
        using var y = net.forward(x);
        var arch = SwinUnetrV2Architecture.Tiny;
        Assert.Equal([1, arch.Classes, d, h, w], y.Semantic.shape);
        Assert.Equal([1, arch.EmbeddingDim, d, h, w], y.Embedding!.shape);
        Assert.True(y.Semantic.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(7)]
    [InlineData(1)]
    public void SliceOutputsMatchTheInputGrid(long slices)
    {
        using var net = TinyNetworks.Slice();
        net.eval();
        using var _ = no_grad();
        using var x = TinyNetworks.Input(slices, 32, 32);
        using var y = net.forward(x);
        var arch = SliceTransformerArchitecture.Tiny;
        Assert.Equal([1, arch.Classes, slices, 32, 32], y.Semantic.shape);
        Assert.Equal([1, arch.EmbeddingDim, slices, 32, 32], y.Embedding!.shape);
    }

    [Fact]
    public void WithoutAnInstanceDecoderThereIsNoEmbedding()
    {
        using var net = (SwinUnetrV2Architecture.Tiny with { EmbeddingDim = 0 }).Build();
        net.eval();
        using var _ = no_grad();
        using var x = TinyNetworks.Input(32, 32, 32);
        using var y = net.forward(x);
        Assert.Null(y.Embedding);
        Assert.DoesNotContain(net.state_dict().Keys, k => k.StartsWith("embedding.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(48, 64, 64)]
    [InlineData(32, 64, 80)]
    [InlineData(32, 16, 64)]
    public void SwinRejectsSizesThatAreNotMultiplesOf32(long d, long h, long w)
    {
        using var net = TinyNetworks.Swin();
        using var x = zeros(new long[] { 1, 1, d, h, w });
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Contains("not a multiple of 32", e.Message);
        Assert.Contains($"{d}×{h}×{w}", e.Message);
    }

    [Fact]
    public void SliceRejectsWrongSliceSizeAndTooManySlices()
    {
        using var net = TinyNetworks.Slice();
        using var wide = zeros(new long[] { 1, 1, 8, 64, 64 });
        Assert.Contains("32×32", Assert.Throws<ArgumentException>(() => net.forward(wide)).Message);
        using var deep = zeros(new long[] { 1, 1, 17, 32, 32 });
        Assert.Contains("1 to 16", Assert.Throws<ArgumentException>(() => net.forward(deep)).Message);
    }

    [Fact]
    public void ArchitectureProblemsAreNamed()
    {
        var bad = SwinUnetrV2Architecture.Tiny with { Heads = [5, 2, 4, 8], DropRate = 1.5 };
        var e = Assert.Throws<ArgumentException>(() => bad.Build());
        Assert.Contains("heads[0] = 5 does not divide stage 1's 12 channels", e.Message);
        Assert.Contains("drop_rate", e.Message);
        Assert.Contains("slice_size must be a power of two", string.Join(";", (SliceTransformerArchitecture.Tiny with { SliceSize = 48 }).Problems()));
    }
}
