using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>Halves a channel-last grid in every axis: the 8 voxels of each 2×2×2 cell are concatenated
/// (in MONAI's v0.9 "merging" order, which its checkpoints assume), normalised and projected 8C → 2C.</summary>
public sealed class PatchMerging : nn.Module<Tensor, Tensor>
{
    // (d, h, w) offsets of x0..x7 in MONAI's PatchMerging.
    private static readonly (int D, int H, int W)[] Order =
        [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)];

    private readonly Linear reduction;
    private readonly LayerNorm norm;

    public PatchMerging(long dim) : base(nameof(PatchMerging))
    {
        reduction = nn.Linear(8 * dim, 2 * dim, hasBias: false);
        norm = nn.LayerNorm(8 * dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (d % 2 == 1 || h % 2 == 1 || w % 2 == 1) x = nn.functional.pad(x, [0, 0, 0, w % 2, 0, h % 2, 0, d % 2]);
        var parts = Order.Select(o => x.slice(1, o.D, x.shape[1], 2).slice(2, o.H, x.shape[2], 2).slice(3, o.W, x.shape[3], 2)).ToArray();
        var merged = cat(parts, -1);
        var normed = norm.forward(merged);
        return scope.MoveToOuter(MixedPrecision.Run(reduction.weight!, normed, reduction.forward));
    }
}
