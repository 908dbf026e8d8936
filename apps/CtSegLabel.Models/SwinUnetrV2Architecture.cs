namespace CtSegLabel.Models;

/// <summary>SwinUNETR-V2 (thesis §3.4) with MONAI's structure: patch embedding 2×2×2, four Swin stages
/// each opened by a residual conv block, UNETR conv decoder with skips; plus the instance decoder.</summary>
public sealed record SwinUnetrV2Architecture : NetworkArchitecture
{
    public const string ArchName = "swinunetr-v2";

    /// <summary>Every input extent must be a multiple of this: five halvings (patch embedding + four merges).</summary>
    public const int InputMultiple = 32;

    [System.Text.Json.Serialization.JsonIgnore] public override string Name => ArchName;
    public override int InChannels { get; init; } = 1;
    /// <summary>Semantic outputs incl. background. Default: the thesis's network — background, 32 organs and
    /// the 4 instance classes (<see cref="CtSegLabel.Inference.Pipeline.ChannelMap.Thesis"/>).</summary>
    public override int Classes { get; init; } = 37;
    public override int EmbeddingDim { get; init; } = 32;
    public int FeatureSize { get; init; } = 48;
    public int[] Depths { get; init; } = [2, 2, 2, 2];
    public int[] Heads { get; init; } = [3, 6, 12, 24];
    public int WindowSize { get; init; } = 7;
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>MONAI's drop_rate: after the patch embedding, the attention projection and the MLP layers.</summary>
    public double DropRate { get; init; } = 0.2;
    public double AttnDropRate { get; init; }
    public double DropPathRate { get; init; }

    /// <summary>false builds MONAI's original SwinUNETR (no residual block opening each stage).</summary>
    public bool UseV2 { get; init; } = true;

    /// <summary>The thesis's network: feature size 48, depths 2/2/2/2, heads 3/6/12/24, window 7,
    /// 32-dimensional embeddings.</summary>
    public static SwinUnetrV2Architecture Full => new();

    /// <summary>Small enough for tests on two cores: feature size 12.</summary>
    public static SwinUnetrV2Architecture Tiny => new() { FeatureSize = 12, Heads = [1, 2, 4, 8], Classes = 4, EmbeddingDim = 4 };

    public override IReadOnlyList<string> Problems()
    {
        var p = CommonProblems();
        Positive(p, "feature_size", FeatureSize);
        Positive(p, "window_size", WindowSize);
        Positive(p, "mlp_ratio", MlpRatio);
        Rate(p, "drop_rate", DropRate);
        Rate(p, "attn_drop_rate", AttnDropRate);
        Rate(p, "drop_path_rate", DropPathRate);
        if (Depths.Length != 4) p.Add($"depths needs 4 stages, got {Depths.Length}");
        if (Heads.Length != 4) p.Add($"heads needs 4 stages, got {Heads.Length}");
        for (int i = 0; i < Math.Min(4, Math.Min(Depths.Length, Heads.Length)); i++)
        {
            if (Depths[i] < 1) p.Add($"depths[{i}] must be at least 1, got {Depths[i]}");
            int dim = FeatureSize << i;
            if (Heads[i] < 1 || dim % Heads[i] != 0) p.Add($"heads[{i}] = {Heads[i]} does not divide stage {i + 1}'s {dim} channels");
        }
        return p;
    }

    protected override SegmentationNetwork BuildValidated() => new SwinUnetrV2(this);
}
