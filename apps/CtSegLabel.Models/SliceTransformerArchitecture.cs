using System.Numerics;

namespace CtSegLabel.Models;

/// <summary>The thesis's slice transformer (§3.3): every axial slice becomes one token.</summary>
public sealed record SliceTransformerArchitecture : NetworkArchitecture
{
    public const string ArchName = "slice";

    [System.Text.Json.Serialization.JsonIgnore] public override string Name => ArchName;
    public override int InChannels { get; init; } = 1;
    /// <summary>Semantic outputs incl. background. Default: the thesis's network — background, 32 organs and
    /// the 4 instance classes (<see cref="CtSegLabel.Inference.Pipeline.ChannelMap.Thesis"/>).</summary>
    public override int Classes { get; init; } = 37;
    public override int EmbeddingDim { get; init; } = 16;

    /// <summary>In-plane size of the (square) input slices; a power of two, at least 4.</summary>
    public int SliceSize { get; init; } = 128;

    /// <summary>Longest block (in slices) the learned position encoding covers.</summary>
    public int MaxSlices { get; init; } = 64;

    public int PreEmbeddingChannels { get; init; } = 21;
    public int HiddenSize { get; init; } = 1024;
    public int Layers { get; init; } = 12;
    public int Heads { get; init; } = 8;
    public int MlpDim { get; init; } = 1024;

    /// <summary>The decoder reads the output of every SkipEvery-th encoder (3 → encoders 3, 6, 9, 12).</summary>
    public int SkipEvery { get; init; } = 3;

    public int DecoderChannels { get; init; } = 170;
    public int ImageBranchChannels { get; init; } = 42;
    public int HeadChannels { get; init; } = 84;

    /// <summary>Dropout after the position encoding, on the attention projection and in the MLPs.</summary>
    public double DropRate { get; init; } = 0.2;

    public double NegativeSlope { get; init; } = 0.01;

    public static SliceTransformerArchitecture Full => new();

    /// <summary>Small enough for tests on two cores.</summary>
    public static SliceTransformerArchitecture Tiny => new()
    {
        SliceSize = 32, MaxSlices = 16, PreEmbeddingChannels = 4, HiddenSize = 32, Layers = 4, Heads = 4, MlpDim = 32,
        SkipEvery = 1, DecoderChannels = 8, ImageBranchChannels = 4, HeadChannels = 8, Classes = 4, EmbeddingDim = 4,
    };

    /// <summary>Number of 2× upsampling stages from one voxel per slice back to the slice size.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public int DecoderStages => BitOperations.Log2((uint)SliceSize);

    [System.Text.Json.Serialization.JsonIgnore] public int DecoderInputChannels => Layers / SkipEvery * HiddenSize;

    public override IReadOnlyList<string> Problems()
    {
        var p = CommonProblems();
        if (SliceSize < 4 || !BitOperations.IsPow2(SliceSize)) p.Add($"slice_size must be a power of two ≥ 4, got {SliceSize}");
        Positive(p, "max_slices", MaxSlices);
        Positive(p, "pre_embedding_channels", PreEmbeddingChannels);
        Positive(p, "hidden_size", HiddenSize);
        Positive(p, "layers", Layers);
        Positive(p, "mlp_dim", MlpDim);
        Positive(p, "decoder_channels", DecoderChannels);
        Positive(p, "image_branch_channels", ImageBranchChannels);
        Positive(p, "head_channels", HeadChannels);
        Rate(p, "drop_rate", DropRate);
        if (Heads < 1 || HiddenSize % Heads != 0) p.Add($"heads = {Heads} does not divide hidden_size {HiddenSize}");
        if (SkipEvery < 1 || Layers % SkipEvery != 0) p.Add($"skip_every = {SkipEvery} does not divide layers {Layers}");
        return p;
    }

    protected override SegmentationNetwork BuildValidated() => new SliceTransformer(this);
}
