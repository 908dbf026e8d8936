using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>Stochastic depth: in training, drops a whole residual branch per sample with probability p
/// and rescales the kept ones; the identity in eval mode.</summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    private readonly double _p;

    public DropPath(double p) : base(nameof(DropPath)) => _p = p;

    public override Tensor forward(Tensor x)
    {
        if (!training || _p == 0.0) return x.alias();
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x.shape[0];
        using var keep = empty(shape, x.dtype, x.device).bernoulli_(1 - _p);
        using var keptShare = (1 - _p).ToScalar();
        using var scaled = keep.div_(keptShare);
        return x * scaled;
    }
}
