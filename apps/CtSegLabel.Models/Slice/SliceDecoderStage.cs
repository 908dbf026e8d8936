using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Slice;

/// <summary>conv → LN → LReLU → conv → LN → LReLU → transposed conv 1×2×2 (doubles the slice resolution).</summary>
public sealed class SliceDecoderStage : nn.Module<Tensor, Tensor>
{
    private readonly ConvNormAct conv1;
    private readonly ConvNormAct conv2;
    private readonly ConvTranspose3d up;

    public SliceDecoderStage(long inChannels, long channels, double slope) : base(nameof(SliceDecoderStage))
    {
        conv1 = new ConvNormAct(inChannels, channels, NormOrder.NormThenActivation, slope);
        conv2 = new ConvNormAct(channels, channels, NormOrder.NormThenActivation, slope);
        up = nn.ConvTranspose3d(channels, channels, kernel_size: (1, 2, 2), stride: (1, 2, 2));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = conv2.forward(conv1.forward(x));
        return scope.MoveToOuter(MixedPrecision.Run(up.weight!, features, up.forward));
    }
}
