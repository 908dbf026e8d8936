using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>Multi-head self-attention inside a window with a learned relative-position bias
/// (MONAI names: relative_position_bias_table, relative_position_index, qkv, proj).</summary>
public sealed class WindowAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly long _heads;
    private readonly double _attnDrop;

    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly Linear qkv;
    private readonly Dropout attn_drop;
    private readonly Linear proj;
    private readonly Dropout proj_drop;

    public WindowAttention(long dim, long heads, long[] window, double attnDrop, double projDrop) : base(nameof(WindowAttention))
    {
        _heads = heads;
        _attnDrop = attnDrop;
        long tableSize = (2 * window[0] - 1) * (2 * window[1] - 1) * (2 * window[2] - 1);
        relative_position_bias_table = new Parameter(empty(tableSize, heads));
        nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        relative_position_index = RelativePositionIndex(window);
        qkv = nn.Linear(dim, 3 * dim, hasBias: true);
        attn_drop = nn.Dropout(attnDrop);
        proj = nn.Linear(dim, dim);
        proj_drop = nn.Dropout(projDrop);
        RegisterComponents();
    }

    /// <summary>For token pairs (a, b) of a window, the row of the bias table for their offset b - a…
    /// as MONAI lays it out: offsets shifted to be non-negative, then flattened d-major.</summary>
    private static Tensor RelativePositionIndex(long[] ws)
    {
        long n = ws[0] * ws[1] * ws[2];
        var index = new long[n * n];
        for (long a = 0; a < n; a++)
            for (long b = 0; b < n; b++)
            {
                long da = a / (ws[1] * ws[2]), ha = a / ws[2] % ws[1], wa = a % ws[2];
                long db = b / (ws[1] * ws[2]), hb = b / ws[2] % ws[1], wb = b % ws[2];
                index[a * n + b] = (da - db + ws[0] - 1) * (2 * ws[1] - 1) * (2 * ws[2] - 1)
                                 + (ha - hb + ws[1] - 1) * (2 * ws[2] - 1)
                                 + (wa - wb + ws[2] - 1);
            }
        return tensor(index, [n, n]);
    }

    /// <summary>Dropout rate on the attention weights now: its module follows train/eval and
    /// <see cref="SegmentationNetwork.SetDropoutActive"/> like every other dropout layer.</summary>
    private double AttentionDropout => attn_drop.training ? _attnDrop : 0.0;

    /// <param name="x">(windows·B, n, C) tokens.</param>
    /// <param name="mask">(windows, n, n) shifted-window mask, or null for unshifted windows.</param>
    public override Tensor forward(Tensor x, Tensor? mask) => MixedPrecision.Run(qkv.weight!, x, t => Attend(t, mask));

    private Tensor Attend(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var qkvs = qkv.forward(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var q = qkvs[0];
        var k = qkvs[1];
        var v = qkvs[2];

        // A window smaller than the configured one (a short axis) still reads the full-size table
        // through the top-left n×n of the index, exactly as MONAI does, so imported weights mean the same.
        var index = relative_position_index.slice(0, 0, n, 1).slice(1, 0, n, 1).reshape(-1);
        var bias = relative_position_bias_table.index_select(0, index).reshape(n, n, -1).permute(2, 0, 1).unsqueeze(0).to(q.dtype);
        var attended = is_grad_enabled() ? Differentiable(q, k, v, bias, mask) : InPlace(q, k, v, bias, mask);
        var merged = attended.transpose(1, 2).reshape(b, n, c);
        var result = proj_drop.forward(proj.forward(merged));
        return scope.MoveToOuter(result);
    }

    /// <summary>softmax(q·kᵀ/√d + bias + mask)·v with autograd: one fused call (the default scale 1/√d
    /// is MONAI's). Windows of one sample share the mask, so they are folded into the head axis to keep
    /// the call 4-D with a mask that broadcasts over the batch only.</summary>
    private Tensor Differentiable(Tensor q, Tensor k, Tensor v, Tensor bias, Tensor? mask)
    {
        long b = q.shape[0], n = q.shape[2];
        if (mask is null)
            return nn.functional.scaled_dot_product_attention(q, k, v, bias, AttentionDropout);
        long nw = mask.shape[0];
        var additive = (bias + mask.unsqueeze(1)).reshape(1, nw * _heads, n, n);
        var attended = nn.functional.scaled_dot_product_attention(
            q.reshape(b / nw, nw * _heads, n, -1), k.reshape(b / nw, nw * _heads, n, -1), v.reshape(b / nw, nw * _heads, n, -1),
            additive, AttentionDropout);
        return attended.reshape(b, _heads, n, -1);
    }

    /// <summary>The same without autograd, holding a single (windows, heads, n, n) score tensor: bias and
    /// mask are added and the softmax taken in place. At full size the first stage's scores are 0.7 GB;
    /// the fused call would hold the mask, the scores and their softmax at once.</summary>
    private Tensor InPlace(Tensor q, Tensor k, Tensor v, Tensor bias, Tensor? mask)
    {
        long b = q.shape[0], n = q.shape[2];
        using var scale = (1.0 / Math.Sqrt(q.shape[3])).ToScalar();
        using var scaled = q * scale;
        using var kt = k.transpose(-2, -1);
        using var scores = scaled.matmul(kt);
        scores.add_(bias);
        if (mask is not null)
        {
            long nw = mask.shape[0];
            using var perSample = scores.view(b / nw, nw, _heads, n, n);
            using var windowMask = mask.view(1, nw, 1, n, n);
            perSample.add_(windowMask);
        }
        using (var max = scores.amax([-1], keepdim: true)) scores.sub_(max);
        scores.exp_();
        using (var sum = scores.sum(-1, keepdim: true)) scores.div_(sum);
        if (AttentionDropout == 0) return scores.matmul(v);
        using var dropped = attn_drop.forward(scores);
        return dropped.matmul(v);
    }
}
