using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>The transformer MLP (MONAI's MLPBlock in "swin" dropout mode): linear1 → GELU → dropout → linear2 → dropout.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly Dropout drop;

    public Mlp(long dim, long hidden, double dropRate) : base(nameof(Mlp))
    {
        linear1 = nn.Linear(dim, hidden);
        linear2 = nn.Linear(hidden, dim);
        drop = nn.Dropout(dropRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => MixedPrecision.Run(linear1.weight!, x, Compute);

    private Tensor Compute(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = drop.forward(nn.functional.gelu(linear1.forward(x)));
        return scope.MoveToOuter(drop.forward(linear2.forward(h)));
    }
}
