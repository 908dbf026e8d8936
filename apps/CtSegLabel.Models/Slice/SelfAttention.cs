using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Slice;

/// <summary>Multi-head self-attention over the slice tokens (qkv, proj).</summary>
public sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly long _heads;

    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly Dropout proj_drop;

    public SelfAttention(long hidden, long heads, double drop) : base(nameof(SelfAttention))
    {
        _heads = heads;
        qkv = nn.Linear(hidden, 3 * hidden);
        proj = nn.Linear(hidden, hidden);
        proj_drop = nn.Dropout(drop);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => MixedPrecision.Run(qkv.weight!, x, Attend);

    private Tensor Attend(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var parts = qkv.forward(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        var merged = attended.transpose(1, 2).reshape(b, n, c);
        return scope.MoveToOuter(proj_drop.forward(proj.forward(merged)));
    }
}
