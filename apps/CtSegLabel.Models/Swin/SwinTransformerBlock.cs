using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>One Swin block on a channel-last grid: (shifted-)window attention and an MLP, each pre-normed
/// and residual (MONAI names: norm1, attn, norm2, mlp).</summary>
public sealed class SwinTransformerBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly long[] _window;
    private readonly long[] _shift;

    private readonly LayerNorm norm1;
    private readonly WindowAttention attn;
    private readonly DropPath drop_path;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    public SwinTransformerBlock(long dim, long heads, long[] window, long[] shift, double mlpRatio,
                                double drop, double attnDrop, double dropPath) : base(nameof(SwinTransformerBlock))
    {
        _window = window;
        _shift = shift;
        norm1 = nn.LayerNorm(dim);
        attn = new WindowAttention(dim, heads, window, attnDrop, drop);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm(dim);
        mlp = new Mlp(dim, (long)(dim * mlpRatio), drop);
        RegisterComponents();
    }

    /// <param name="x">(B, D, H, W, C) tokens.</param>
    /// <param name="mask">The stage's shifted-window mask (used only when this block shifts).</param>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var attended = Attend(x, mask);
        var y = x + drop_path.forward(attended);
        var result = y + drop_path.forward(mlp.forward(norm2.forward(y)));
        return scope.MoveToOuter(result);
    }

    private Tensor Attend(Tensor x, Tensor? mask)
    {
        long b = x.shape[0], d = x.shape[1], h = x.shape[2], w = x.shape[3];
        var (ws, shift) = WindowGeometry.Extent([d, h, w], _window, _shift);
        long pd = WindowGeometry.PadTo(d, ws[0]), ph = WindowGeometry.PadTo(h, ws[1]), pw = WindowGeometry.PadTo(w, ws[2]);
        var t = norm1.forward(x);
        if (pd > 0 || ph > 0 || pw > 0) t = nn.functional.pad(t, [0, 0, 0, pw, 0, ph, 0, pd]);
        bool shifted = shift.Any(s => s > 0);
        if (shifted) t = roll(t, [-shift[0], -shift[1], -shift[2]], [1, 2, 3]);
        var windows = WindowGeometry.Partition(t, ws);
        var attended = attn.forward(windows, shifted ? mask : null);
        t = WindowGeometry.Reverse(attended, ws, b, d + pd, h + ph, w + pw);
        if (shifted) t = roll(t, [shift[0], shift[1], shift[2]], [1, 2, 3]);
        if (pd > 0 || ph > 0 || pw > 0) t = t.slice(1, 0, d, 1).slice(2, 0, h, 1).slice(3, 0, w, 1).contiguous();
        return t;
    }
}
