using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>MONAI's UnetrBasicBlock with res_block=True: a residual block kept under the name "layer".</summary>
public sealed class UnetrBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly UnetResBlock layer;

    public UnetrBasicBlock(long inChannels, long outChannels) : base(nameof(UnetrBasicBlock))
    {
        layer = new UnetResBlock(inChannels, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layer.forward(x);
}
