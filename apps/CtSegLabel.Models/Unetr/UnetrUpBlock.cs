using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>MONAI's UnetrUpBlock: 2× transposed-conv upsampling, concatenation with the skip, residual block.</summary>
public sealed class UnetrUpBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MonaiConv transp_conv;
    private readonly UnetResBlock conv_block;

    public UnetrUpBlock(long inChannels, long outChannels) : base(nameof(UnetrUpBlock))
    {
        transp_conv = MonaiConv.Transposed(inChannels, outChannels, 2);
        conv_block = new UnetResBlock(2 * outChannels, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor skip)
    {
        using var scope = NewDisposeScope();
        Tensor joined;
        using (var up = transp_conv.forward(x)) joined = cat([up, skip], 1);
        var result = conv_block.forward(joined);
        joined.Dispose();
        return scope.MoveToOuter(result);
    }
}
