using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>A bare 3-D (transposed) convolution wrapped the way MONAI's Convolution wraps it, so its
/// weights are named "…conv.weight" like in MONAI checkpoints. "Same" padding for odd kernels; a
/// transposed convolution with kernel = stride upsamples exactly by the stride.</summary>
public sealed class MonaiConv : nn.Module<Tensor, Tensor>
{
    private readonly Convolution conv;

    private MonaiConv(Convolution inner) : base(nameof(MonaiConv))
    {
        conv = inner;
        RegisterComponents();
    }

    public static MonaiConv Conv(long inChannels, long outChannels, long kernel, bool bias = false) =>
        new(nn.Conv3d(inChannels, outChannels, kernel_size: kernel, stride: 1L, padding: (kernel - 1) / 2, bias: bias));

    public static MonaiConv Transposed(long inChannels, long outChannels, long kernel) =>
        new(nn.ConvTranspose3d(inChannels, outChannels, kernel_size: kernel, stride: kernel, bias: false));

    public override Tensor forward(Tensor x) => MixedPrecision.Run(conv.weight!, x, conv.forward);
}
