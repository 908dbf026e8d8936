using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>Small networks and inputs for tests on two cores.</summary>
internal static class TinyNetworks
{
    public static SegmentationNetwork Swin(int seed = 1)
    {
        manual_seed(seed);
        return SwinUnetrV2Architecture.Tiny.Build();
    }

    public static SegmentationNetwork Slice(int seed = 1)
    {
        manual_seed(seed);
        return SliceTransformerArchitecture.Tiny.Build();
    }

    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static Tensor Input(params long[] spatial)
    {
        var g = new Generator(seed: 7);
        return rand([1, 1, .. spatial], generator: g);
    }
}
