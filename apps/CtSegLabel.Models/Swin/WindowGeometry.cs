using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Swin;

/// <summary>Window arithmetic of 3-D Swin attention on channel-last token grids (B, D, H, W, C),
/// reproducing MONAI's SwinUNETR exactly (see tools/reference/swin_unetr_v2.py).</summary>
internal static class WindowGeometry
{
    /// <summary>The window and shift a grid really uses: an axis not longer than the window becomes one
    /// window along that axis and is not shifted (MONAI's get_window_size).</summary>
    public static (long[] Window, long[] Shift) Extent(long[] grid, long[] window, long[] shift)
    {
        var w = (long[])window.Clone();
        var s = (long[])shift.Clone();
        for (int i = 0; i < 3; i++)
            if (grid[i] <= window[i]) { w[i] = grid[i]; s[i] = 0; }
        return (w, s);
    }

    public static long PadTo(long extent, long window) => (window - extent % window) % window;

    /// <summary>(B, D, H, W, C) with extents divisible by the window → (B·windows, wd·wh·ww, C).</summary>
    public static Tensor Partition(Tensor x, long[] ws)
    {
        long b = x.shape[0], d = x.shape[1], h = x.shape[2], w = x.shape[3], c = x.shape[4];
        using var v = x.view(b, d / ws[0], ws[0], h / ws[1], ws[1], w / ws[2], ws[2], c);
        using var p = v.permute(0, 1, 3, 5, 2, 4, 6, 7);
        return p.reshape(-1, ws[0] * ws[1] * ws[2], c);
    }

    /// <summary>Inverse of <see cref="Partition"/>.</summary>
    public static Tensor Reverse(Tensor windows, long[] ws, long b, long d, long h, long w)
    {
        using var v = windows.view(b, d / ws[0], h / ws[1], w / ws[2], ws[0], ws[1], ws[2], -1);
        using var p = v.permute(0, 1, 4, 2, 5, 3, 6, 7);
        return p.reshape(b, d, h, w, -1);
    }

    /// <summary>The (windows, n, n) additive attention mask of shifted windows: -100 between tokens that
    /// the cyclic shift brought together from different regions, 0 elsewhere. Region labels follow
    /// MONAI's three Python slices per axis — slice(-window), slice(-window, -shift), slice(-shift, None)
    /// — including what they mean for a zero shift (the last one then covers the whole axis).</summary>
    public static Tensor Mask(long[] grid, long[] ws, long[] shift, Device device, ScalarType dtype)
    {
        long d = grid[0], h = grid[1], w = grid[2];
        var labels = new float[d * h * w];
        int region = 0;
        foreach (var (d0, d1) in Regions(d, ws[0], shift[0]))
            foreach (var (h0, h1) in Regions(h, ws[1], shift[1]))
                foreach (var (w0, w1) in Regions(w, ws[2], shift[2]))
                {
                    for (long k = d0; k < d1; k++)
                        for (long j = h0; j < h1; j++)
                            Array.Fill(labels, region, (int)((k * h + j) * w + w0), (int)Math.Max(0, w1 - w0));
                    region++;
                }
        using var grid5 = tensor(labels, [1, d, h, w, 1]);
        using var win = Partition(grid5, ws);
        using var flat = win.squeeze(-1);
        using var a = flat.unsqueeze(1);
        using var bt = flat.unsqueeze(2);
        using var diff = a - bt;
        // Explicit Scalars, disposed after the ops (docs/models.md, "Scalars"): an implicit one can be finalized mid-call.
        using var zero = 0.ToScalar();
        using var blocked = (-100.0).ToScalar();
        using var different = diff.ne(zero);
        using var zeros = zeros_like(diff);
        using var mask = zeros.masked_fill(different, blocked);
        return mask.to(dtype, device);
    }

    /// <summary>The index ranges Python's slice(-ws), slice(-ws, -shift), slice(-shift, None) select on
    /// an axis of this length (a negative bound counts from the end, and -0 is 0).</summary>
    private static IEnumerable<(long Start, long Stop)> Regions(long length, long ws, long shift)
    {
        yield return (0, Resolve(length, -ws));
        yield return (Resolve(length, -ws), Math.Max(Resolve(length, -ws), Resolve(length, -shift)));
        yield return (Resolve(length, -shift), length);
    }

    private static long Resolve(long length, long bound) => bound < 0 ? Math.Max(0, length + bound) : Math.Min(bound, length);
}
