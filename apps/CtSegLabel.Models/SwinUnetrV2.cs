using CtSegLabel.Models.Swin;
using CtSegLabel.Models.Unetr;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>SwinUNETR-V2 with a semantic and an optional instance (embedding) decoder. Parameter names
/// are MONAI's SwinUNETR(use_v2=True) names, so a MONAI state_dict loads into the semantic path as is;
/// the instance decoder lives under "embedding." with the same inner names.</summary>
public sealed class SwinUnetrV2 : SegmentationNetwork
{
    private readonly SwinUnetrV2Architecture _arch;

    private readonly SwinTransformer swinViT;
    private readonly UnetrBasicBlock encoder1, encoder2, encoder3, encoder4, encoder10;
    private readonly UnetrUpBlock decoder5, decoder4, decoder3, decoder2, decoder1;
    private readonly UnetOutBlock @out;
    private readonly UnetrDecoder? embedding;

    public SwinUnetrV2(SwinUnetrV2Architecture arch) : base(nameof(SwinUnetrV2))
    {
        _arch = arch;
        long fs = arch.FeatureSize;
        swinViT = new SwinTransformer(arch);
        encoder1 = new UnetrBasicBlock(arch.InChannels, fs);
        encoder2 = new UnetrBasicBlock(fs, fs);
        encoder3 = new UnetrBasicBlock(2 * fs, 2 * fs);
        encoder4 = new UnetrBasicBlock(4 * fs, 4 * fs);
        encoder10 = new UnetrBasicBlock(16 * fs, 16 * fs);
        (decoder5, decoder4, decoder3, decoder2, decoder1, @out) = new UnetrDecoder(fs, arch.Classes).Blocks;
        if (arch.EmbeddingDim > 0) embedding = new UnetrDecoder(fs, arch.EmbeddingDim);
        RegisterComponents();
    }

    public override NetworkArchitecture Architecture => _arch;

    public override string? CheckInput(long[] shape)
    {
        if (shape.Length != 5) return $"input must be (batch, channels, depth, height, width), got {shape.Length} dimensions";
        if (shape[1] != _arch.InChannels) return $"input has {shape[1]} channels, the network takes {_arch.InChannels}";
        var bad = shape[2..].Where(e => e <= 0 || e % SwinUnetrV2Architecture.InputMultiple != 0).ToArray();
        if (bad.Length > 0)
            return $"input size {string.Join("×", shape[2..])} is not a multiple of {SwinUnetrV2Architecture.InputMultiple} in every axis " +
                   "(the network halves it five times); crop or pad the block first";
        return null;
    }

    public override NetworkOutput forward(Tensor x, bool withEmbeddings)
    {
        RequireValidInput(x);
        using var scope = NewDisposeScope();
        var hidden = swinViT.forward(x);
        var skips = new UnetrSkips(
            Enc0: encoder1.forward(x),
            Enc1: encoder2.forward(hidden[0]),
            Enc2: encoder3.forward(hidden[1]),
            Enc3: encoder4.forward(hidden[2]),
            Hidden3: hidden[3],
            Dec4: encoder10.forward(hidden[4]));
        hidden[0].Dispose();
        hidden[1].Dispose();
        hidden[2].Dispose();
        hidden[4].Dispose();
        var semantic = UnetrDecoder.Decode((decoder5, decoder4, decoder3, decoder2, decoder1, @out), skips);
        var emb = withEmbeddings ? embedding?.forward(skips) : null;
        if (emb is null) return new NetworkOutput(scope.MoveToOuter(semantic), null);
        var (s, e) = scope.MoveToOuter(semantic, emb);
        return new NetworkOutput(s, e);
    }
}
