using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>The skips a UNETR decoder path reads, all from the shared encoder.</summary>
public sealed record UnetrSkips(Tensor Enc0, Tensor Enc1, Tensor Enc2, Tensor Enc3, Tensor Hidden3, Tensor Dec4);

/// <summary>One decoder path of SwinUNETR: decoder5 … decoder1 (each 2× up + skip), then the 1×1×1 output
/// conv. The semantic and the instance path are two of these over the same skips.</summary>
public sealed class UnetrDecoder : nn.Module<UnetrSkips, Tensor>
{
    private readonly UnetrUpBlock decoder5, decoder4, decoder3, decoder2, decoder1;
    private readonly UnetOutBlock @out;

    public UnetrDecoder(long featureSize, long outChannels) : base(nameof(UnetrDecoder))
    {
        decoder5 = new UnetrUpBlock(16 * featureSize, 8 * featureSize);
        decoder4 = new UnetrUpBlock(8 * featureSize, 4 * featureSize);
        decoder3 = new UnetrUpBlock(4 * featureSize, 2 * featureSize);
        decoder2 = new UnetrUpBlock(2 * featureSize, featureSize);
        decoder1 = new UnetrUpBlock(featureSize, featureSize);
        @out = new UnetOutBlock(featureSize, outChannels);
        RegisterComponents();
    }

    /// <summary>The blocks, for a network that keeps them under its own top-level names (MONAI's
    /// SwinUNETR has decoder5 … out directly on the network).</summary>
    public (UnetrUpBlock D5, UnetrUpBlock D4, UnetrUpBlock D3, UnetrUpBlock D2, UnetrUpBlock D1, UnetOutBlock Out) Blocks =>
        (decoder5, decoder4, decoder3, decoder2, decoder1, @out);

    public override Tensor forward(UnetrSkips s) => Decode(Blocks, s);

    public static Tensor Decode((UnetrUpBlock D5, UnetrUpBlock D4, UnetrUpBlock D3, UnetrUpBlock D2, UnetrUpBlock D1, UnetOutBlock Out) b,
                                UnetrSkips s)
    {
        using var scope = NewDisposeScope();
        var x = b.D5.forward(s.Dec4, s.Hidden3);
        x = Step(b.D4, x, s.Enc3);
        x = Step(b.D3, x, s.Enc2);
        x = Step(b.D2, x, s.Enc1);
        x = Step(b.D1, x, s.Enc0);
        return scope.MoveToOuter(b.Out.forward(x));
    }

    /// <summary>Frees each decoder stage's input as soon as the next stage exists: the full-resolution
    /// stages are the largest tensors of the whole network.</summary>
    private static Tensor Step(UnetrUpBlock block, Tensor x, Tensor skip)
    {
        var next = block.forward(x, skip);
        x.Dispose();
        return next;
    }
}
