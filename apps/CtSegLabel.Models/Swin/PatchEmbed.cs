using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>Non-overlapping 2×2×2 patches projected to the feature size by a strided convolution.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d proj;

    public PatchEmbed(long inChannels, long dim) : base(nameof(PatchEmbed))
    {
        proj = nn.Conv3d(inChannels, dim, kernel_size: 2L, stride: 2L);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => MixedPrecision.Run(proj.weight!, x, proj.forward);
}
