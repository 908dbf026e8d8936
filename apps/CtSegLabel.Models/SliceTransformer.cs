using CtSegLabel.Models.Slice;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>The thesis's slice transformer (§3.3): pre-embedding convolutions (conv×2 → max-pool 1×2×2 →
/// conv×2 → max-pool → conv×2), one token per slice from a convolution as large as the pooled slice, a
/// learned 1-D position encoding, a stack of transformer encoders whose every SkipEvery-th output feeds
/// the decoders, a semantic decoder and an optional instance-embedding decoder.</summary>
public sealed class SliceTransformer : SegmentationNetwork
{
    private readonly SliceTransformerArchitecture _arch;

    private readonly ModuleList<ConvNormAct> pre_embedding;
    private readonly Conv3d slice_embedding;
    private readonly Parameter position_embedding;
    private readonly Dropout embedding_drop;
    private readonly ModuleList<SliceEncoderLayer> encoders;
    private readonly SliceDecoder semantic;
    private readonly SliceDecoder? embedding;

    public SliceTransformer(SliceTransformerArchitecture arch) : base(nameof(SliceTransformer))
    {
        _arch = arch;
        pre_embedding = new ModuleList<ConvNormAct>();
        for (int i = 0; i < 6; i++)
            pre_embedding.Add(new ConvNormAct(i == 0 ? arch.InChannels : arch.PreEmbeddingChannels, arch.PreEmbeddingChannels,
                                              NormOrder.ActivationThenNorm, arch.NegativeSlope));
        long pooled = arch.SliceSize / 4;
        slice_embedding = nn.Conv3d(arch.PreEmbeddingChannels, arch.HiddenSize, kernel_size: (1, pooled, pooled));
        position_embedding = new Parameter(empty(1, arch.MaxSlices, arch.HiddenSize));
        nn.init.trunc_normal_(position_embedding, std: 0.02);
        embedding_drop = nn.Dropout(arch.DropRate);
        encoders = new ModuleList<SliceEncoderLayer>();
        for (int i = 0; i < arch.Layers; i++)
            encoders.Add(new SliceEncoderLayer(arch.HiddenSize, arch.Heads, arch.MlpDim, arch.DropRate));
        semantic = new SliceDecoder(arch, arch.Classes);
        if (arch.EmbeddingDim > 0) embedding = new SliceDecoder(arch, arch.EmbeddingDim);
        RegisterComponents();
    }

    public override NetworkArchitecture Architecture => _arch;

    public override string? CheckInput(long[] shape)
    {
        if (shape.Length != 5) return $"input must be (batch, channels, slices, height, width), got {shape.Length} dimensions";
        if (shape[1] != _arch.InChannels) return $"input has {shape[1]} channels, the network takes {_arch.InChannels}";
        if (shape[2] < 1 || shape[2] > _arch.MaxSlices) return $"input has {shape[2]} slices; the position encoding covers 1 to {_arch.MaxSlices}";
        if (shape[3] != _arch.SliceSize || shape[4] != _arch.SliceSize)
            return $"input slices are {shape[3]}×{shape[4]}; the network takes {_arch.SliceSize}×{_arch.SliceSize}";
        return null;
    }

    public override NetworkOutput forward(Tensor image, bool withEmbeddings)
    {
        RequireValidInput(image);
        using var scope = NewDisposeScope();
        long slices = image.shape[2];
        var x = image;
        for (int i = 0; i < pre_embedding.Count; i++)
        {
            var next = pre_embedding[i].forward(x);
            if (!ReferenceEquals(x, image)) x.Dispose();
            x = next;
            if (i is 1 or 3)
            {
                next = nn.functional.max_pool3d(x, [1, 2, 2], [1, 2, 2]);
                x.Dispose();
                x = next;
            }
        }
        // (B, hidden, D, 1, 1) → (B, D, hidden): one token per slice.
        var tokens = MixedPrecision.Run(slice_embedding.weight!, x, slice_embedding.forward).flatten(2).transpose(1, 2);
        x.Dispose();
        // The table stays fp32 under mixed precision (only leaf layers are converted): cast at use.
        var positions = position_embedding.slice(1, 0, slices, 1).to(tokens.dtype);
        var h = embedding_drop.forward(tokens + positions);
        var taps = new List<Tensor>();
        bool hIsTap = false;
        for (int i = 0; i < encoders.Count; i++)
        {
            var next = encoders[i].forward(h);
            if (!hIsTap) h.Dispose();
            h = next;
            hIsTap = (i + 1) % _arch.SkipEvery == 0;
            if (hIsTap) taps.Add(h);
        }
        // (B, D, taps·hidden) → (B, taps·hidden, D, 1, 1)
        var features = cat(taps, 2).transpose(1, 2).unsqueeze(-1).unsqueeze(-1);
        var sem = semantic.forward(features, image);
        var emb = withEmbeddings ? embedding?.forward(features, image) : null;
        if (emb is null) return new NetworkOutput(scope.MoveToOuter(sem), null);
        var (s, e) = scope.MoveToOuter(sem, emb);
        return new NetworkOutput(s, e);
    }
}
