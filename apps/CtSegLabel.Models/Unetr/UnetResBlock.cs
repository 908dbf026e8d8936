using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Unetr;

/// <summary>MONAI's UnetResBlock with instance norm: conv3 → IN → LReLU → conv3 → IN, plus the input
/// (through a 1×1×1 conv and IN when the channel count changes), then LReLU(0.01).</summary>
public sealed class UnetResBlock : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.01;

    private readonly MonaiConv conv1;
    private readonly MonaiConv conv2;
    private readonly InstanceNorm3d norm1;
    private readonly InstanceNorm3d norm2;
    private readonly MonaiConv? conv3;
    private readonly InstanceNorm3d? norm3;

    public UnetResBlock(long inChannels, long outChannels) : base(nameof(UnetResBlock))
    {
        conv1 = MonaiConv.Conv(inChannels, outChannels, 3);
        conv2 = MonaiConv.Conv(outChannels, outChannels, 3);
        norm1 = nn.InstanceNorm3d(outChannels);
        norm2 = nn.InstanceNorm3d(outChannels);
        if (inChannels != outChannels)
        {
            conv3 = MonaiConv.Conv(inChannels, outChannels, 1);
            norm3 = nn.InstanceNorm3d(outChannels);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // Full-resolution blocks hold the largest tensors of the network (48 channels × a whole block):
        // each intermediate is freed as soon as the next exists, not at the end of the scope, which
        // keeps the peak near what PyTorch's reference counting gives.
        using var scope = NewDisposeScope();
        var y = Then(conv1.forward(x), norm1.forward);
        y = nn.functional.leaky_relu(y, Slope, inplace: true);
        y = Then(y, conv2.forward);
        y = Then(y, norm2.forward);
        if (conv3 is null) y.add_(x);
        else
        {
            using var projected = conv3.forward(x);
            using var residual = norm3!.forward(projected);
            y.add_(residual);
        }
        return scope.MoveToOuter(nn.functional.leaky_relu(y, Slope, inplace: true));
    }

    /// <summary>f(t), disposing t.</summary>
    private static Tensor Then(Tensor t, Func<Tensor, Tensor> f)
    {
        var next = f(t);
        t.Dispose();
        return next;
    }
}
