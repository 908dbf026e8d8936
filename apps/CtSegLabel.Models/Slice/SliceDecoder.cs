using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Slice;

/// <summary>One decoder of the slice transformer (thesis §3.3.5–3.3.7): from (B, 4·hidden, D, 1, 1) up to
/// the slice size in 2× stages, concatenating the input image average-pooled to each new resolution;
/// then concatenation with a 4-conv branch on the full-resolution image, 4 convs and a 1×1×1 output conv.</summary>
public sealed class SliceDecoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _sliceSize;

    private readonly ModuleList<SliceDecoderStage> stages;
    private readonly ModuleList<ConvNormAct> image_branch;
    private readonly ModuleList<ConvNormAct> head;
    private readonly Conv3d @out;

    public SliceDecoder(SliceTransformerArchitecture a, long outChannels) : base(nameof(SliceDecoder))
    {
        _sliceSize = a.SliceSize;
        stages = new ModuleList<SliceDecoderStage>();
        for (int i = 0; i < a.DecoderStages; i++)
            stages.Add(new SliceDecoderStage(i == 0 ? a.DecoderInputChannels : a.DecoderChannels + a.InChannels, a.DecoderChannels, a.NegativeSlope));
        image_branch = new ModuleList<ConvNormAct>();
        for (int i = 0; i < 4; i++)
            image_branch.Add(new ConvNormAct(i == 0 ? a.InChannels : a.ImageBranchChannels, a.ImageBranchChannels, NormOrder.NormThenActivation, a.NegativeSlope));
        head = new ModuleList<ConvNormAct>();
        long joined = a.DecoderChannels + a.InChannels + a.ImageBranchChannels;
        for (int i = 0; i < 4; i++)
            head.Add(new ConvNormAct(i == 0 ? joined : a.HeadChannels, a.HeadChannels, NormOrder.NormThenActivation, a.NegativeSlope));
        @out = nn.Conv3d(a.HeadChannels, outChannels, kernel_size: 1L, stride: 1L, padding: 0L);
        RegisterComponents();
    }

    /// <param name="features">(B, 4·hidden, D, 1, 1) encoder outputs.</param>
    /// <param name="image">(B, C, D, S, S) network input.</param>
    public override Tensor forward(Tensor features, Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = features;
        long resolution = 1;
        foreach (var stage in stages)
        {
            var up = stage.forward(x);
            resolution *= 2;
            var pooled = Downsampled(image, _sliceSize / resolution);
            var next = cat([up, pooled], 1);
            up.Dispose();
            if (!ReferenceEquals(pooled, image)) pooled.Dispose();
            if (!ReferenceEquals(x, features)) x.Dispose();
            x = next;
        }
        var branch = image;
        foreach (var conv in image_branch)
        {
            var next = conv.forward(branch);
            if (!ReferenceEquals(branch, image)) branch.Dispose();
            branch = next;
        }
        var y = cat([x, branch], 1);
        x.Dispose();
        branch.Dispose();
        foreach (var conv in head)
        {
            var next = conv.forward(y);
            y.Dispose();
            y = next;
        }
        return scope.MoveToOuter(MixedPrecision.Run(@out.weight!, y, @out.forward));
    }

    /// <summary>libtorch's CPU avg_pool3d has no bf16 kernel: there it pools in fp32 (one channel, cheap).</summary>
    private static Tensor Downsampled(Tensor image, long factor) =>
        factor == 1 ? image : MixedPrecision.Run(image.device_type == DeviceType.CPU ? ScalarType.Float32 : image.dtype, image,
                                                 t => nn.functional.avg_pool3d(t, [1, factor, factor], [1, factor, factor]));
}
