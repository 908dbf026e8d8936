using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>MONAI's UnetOutBlock: a 1×1×1 convolution with bias to the output channels.</summary>
public sealed class UnetOutBlock : nn.Module<Tensor, Tensor>
{
    private readonly MonaiConv conv;

    public UnetOutBlock(long inChannels, long outChannels) : base(nameof(UnetOutBlock))
    {
        conv = MonaiConv.Conv(inChannels, outChannels, 1, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.forward(x);
}
