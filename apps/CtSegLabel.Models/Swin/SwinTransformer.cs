using CtSegLabel.Models.Unetr;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>The Swin encoder (MONAI's SwinTransformer with use_v2): patch embedding, then four stages,
/// each opened (V2) by a residual conv block. Returns the five hidden states, each layer-normalised over
/// channels: the patch embedding and the output of every stage.</summary>
public sealed class SwinTransformer : nn.Module<Tensor, Tensor[]>
{
    private readonly PatchEmbed patch_embed;
    private readonly Dropout pos_drop;
    private readonly ModuleList<SwinStage> layers1, layers2, layers3, layers4;
    private readonly ModuleList<UnetrBasicBlock>? layers1c, layers2c, layers3c, layers4c;

    public SwinTransformer(SwinUnetrV2Architecture a) : base(nameof(SwinTransformer))
    {
        patch_embed = new PatchEmbed(a.InChannels, a.FeatureSize);
        pos_drop = nn.Dropout(a.DropRate);
        int total = a.Depths.Sum();
        // Stochastic depth grows linearly over all blocks of all stages (MONAI: linspace(0, rate, total)).
        var rates = Enumerable.Range(0, total).Select(i => total == 1 ? 0.0 : a.DropPathRate * i / (total - 1)).ToArray();
        var stages = new ModuleList<SwinStage>[4];
        var residuals = new ModuleList<UnetrBasicBlock>[4];
        int first = 0;
        for (int i = 0; i < 4; i++)
        {
            long dim = (long)a.FeatureSize << i;
            stages[i] = new ModuleList<SwinStage>(new SwinStage(dim, a.Depths[i], a.Heads[i], a.WindowSize, a.MlpRatio, a.DropRate,
                                                                a.AttnDropRate, rates[first..(first + a.Depths[i])]));
            first += a.Depths[i];
            if (a.UseV2) residuals[i] = new ModuleList<UnetrBasicBlock>(new UnetrBasicBlock(dim, dim));
        }
        (layers1, layers2, layers3, layers4) = (stages[0], stages[1], stages[2], stages[3]);
        if (a.UseV2) (layers1c, layers2c, layers3c, layers4c) = (residuals[0], residuals[1], residuals[2], residuals[3]);
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor input)
    {
        var hidden = new Tensor[5];
        var x = pos_drop.forward(patch_embed.forward(input));
        hidden[0] = Normalized(x);
        var stages = new[] { layers1, layers2, layers3, layers4 };
        var residuals = new[] { layers1c, layers2c, layers3c, layers4c };
        for (int i = 0; i < 4; i++)
        {
            if (residuals[i] is { } residual)
            {
                var r = residual[0].forward(x);
                x.Dispose();
                x = r;
            }
            var next = stages[i][0].forward(x);
            x.Dispose();
            x = next;
            hidden[i + 1] = Normalized(x);
        }
        x.Dispose();
        return hidden;
    }

    /// <summary>Layer norm over channels without learned parameters (MONAI's proj_out, normalize=True).</summary>
    private static Tensor Normalized(Tensor x)
    {
        using var scope = NewDisposeScope();
        var last = x.permute(0, 2, 3, 4, 1);
        var n = nn.functional.layer_norm(last, [x.shape[1]]);
        return scope.MoveToOuter(n.permute(0, 4, 1, 2, 3).contiguous());
    }
}
