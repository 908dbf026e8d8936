using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Slice;

/// <summary>Where the activation sits relative to the layer norm. The thesis says "a leaky ReLU
/// activation function and a layer normalization follow each convolution" for the pre-embedding
/// convolutions and "conv → layer norm → LReLU" for the decoder and output branches; both are kept.</summary>
public enum NormOrder
{
    ActivationThenNorm,
    NormThenActivation,
}

/// <summary>3×3×3 convolution (stride 1, same padding) with leaky ReLU and a layer norm over the
/// channels of each voxel (a per-voxel norm keeps slices and pixels independent of the block size).</summary>
public sealed class ConvNormAct : nn.Module<Tensor, Tensor>
{
    private readonly NormOrder _order;
    private readonly double _slope;

    private readonly Conv3d conv;
    private readonly LayerNorm norm;

    public ConvNormAct(long inChannels, long outChannels, NormOrder order, double slope) : base(nameof(ConvNormAct))
    {
        _order = order;
        _slope = slope;
        conv = nn.Conv3d(inChannels, outChannels, kernel_size: 3L, stride: 1L, padding: 1L);
        norm = nn.LayerNorm(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // At full resolution one tensor here is 170 channels × a whole block: the convolution's output
        // is freed as soon as the norm has read it.
        using var scope = NewDisposeScope();
        var y = MixedPrecision.Run(conv.weight!, x, conv.forward);
        if (_order == NormOrder.ActivationThenNorm)
            y = nn.functional.leaky_relu(y, _slope, inplace: true);
        var normed = ChannelNorm(y);
        y.Dispose();
        if (_order == NormOrder.NormThenActivation)
            normed = nn.functional.leaky_relu(normed, _slope, inplace: true);
        return scope.MoveToOuter(normed);
    }

    private Tensor ChannelNorm(Tensor x)
    {
        using var last = x.permute(0, 2, 3, 4, 1);
        using var normed = norm.forward(last);
        return normed.permute(0, 4, 1, 2, 3);
    }
}
