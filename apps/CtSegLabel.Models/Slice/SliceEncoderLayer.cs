using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Slice;

/// <summary>A pre-norm ViT encoder layer: x + attn(norm1(x)), then + mlp(norm2(x)).</summary>
public sealed class SliceEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly SelfAttention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    public SliceEncoderLayer(long hidden, long heads, long mlpDim, double drop) : base(nameof(SliceEncoderLayer))
    {
        norm1 = nn.LayerNorm(hidden);
        attn = new SelfAttention(hidden, heads, drop);
        norm2 = nn.LayerNorm(hidden);
        mlp = new Mlp(hidden, mlpDim, drop);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x + attn.forward(norm1.forward(x));
        return scope.MoveToOuter(y + mlp.forward(norm2.forward(y)));
    }
}
