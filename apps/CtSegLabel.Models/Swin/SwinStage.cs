using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>One Swin stage (MONAI's BasicLayer): blocks alternating plain and shifted windows, then patch
/// merging. Takes and returns channel-first (B, C, D, H, W).</summary>
public sealed class SwinStage : nn.Module<Tensor, Tensor>
{
    private readonly long[] _window;
    private readonly long[] _shift;

    private readonly ModuleList<SwinTransformerBlock> blocks;
    private readonly PatchMerging downsample;

    public SwinStage(long dim, int depth, long heads, long window, double mlpRatio, double drop, double attnDrop,
                     IReadOnlyList<double> dropPaths) : base(nameof(SwinStage))
    {
        _window = [window, window, window];
        _shift = [window / 2, window / 2, window / 2];
        blocks = new ModuleList<SwinTransformerBlock>();
        for (int i = 0; i < depth; i++)
            blocks.Add(new SwinTransformerBlock(dim, heads, _window, i % 2 == 0 ? [0, 0, 0] : _shift, mlpRatio, drop, attnDrop, dropPaths[i]));
        downsample = new PatchMerging(dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[2], h = x.shape[3], w = x.shape[4];
        var (ws, shift) = WindowGeometry.Extent([d, h, w], _window, _shift);
        long[] padded = [d + WindowGeometry.PadTo(d, ws[0]), h + WindowGeometry.PadTo(h, ws[1]), w + WindowGeometry.PadTo(w, ws[2])];
        var mask = WindowGeometry.Mask(padded, ws, shift, x.device, x.dtype);
        var t = x.permute(0, 2, 3, 4, 1);
        foreach (var block in blocks)
        {
            var next = block.forward(t, mask);
            t.Dispose();
            t = next;
        }
        var merged = downsample.forward(t).permute(0, 4, 1, 2, 3);
        return scope.MoveToOuter(merged);
    }
}
