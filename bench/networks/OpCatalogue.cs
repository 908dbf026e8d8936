using CtSegLabel.Models;

namespace CtSegLabel.NetworkBench;

/// <summary>One kind of operation at one shape, as a full-size forward runs it, and how many times per
/// forward. <see cref="Units"/> is the extent along which its cost is linear (slices of a grid, windows
/// or rows of windows): a profile may run a slab of fewer units and scale up. Serialised as JSON so the
/// PyTorch side (op_profile.py) runs exactly the same list.</summary>
public sealed record OpSpec(string Op, string Kind, int Count, long Units, Dictionary<string, long> P)
{
    /// <summary>The smallest slab that keeps libtorch's kernel choice: for a batch-1 convolution it picks
    /// oneDNN over its own im2col kernel only when N·C·D·H of the input exceeds 20,480 (both 1.13 and 2.x),
    /// so a thinner slab than that would time another kernel than the full-size call.</summary>
    public long MinUnits { get; init; } = 1;

    public long this[string key] => P[key];

    public string Shape => string.Join(" ", P.Select(kv => $"{kv.Key}={kv.Value}"));
}

/// <summary>Every operation of SwinUNETR-V2's inference forward (the in-place attention path, both
/// decoders) at the shapes a block of the given size gives, with counts. Written from the network's
/// structure (SwinUnetrV2, SwinStage, SwinTransformerBlock, WindowAttention, UnetResBlock, UnetrDecoder);
/// identical (op, shape) pairs are merged and their counts added.</summary>
public static class OpCatalogue
{
    private const long OneDnnMinimum = 20480;

    public static IReadOnlyList<OpSpec> SwinUnetrV2(SwinUnetrV2Architecture a, long[] block)
    {
        var ops = new Dictionary<string, OpSpec>();
        void Add(string op, string kind, int count, long units, params (string Key, long Value)[] p)
        {
            var spec = new OpSpec(op, kind, count, units, p.ToDictionary(x => x.Key, x => x.Value));
            if (op == "conv3d")
            {
                // Input slab of u units: (1, cin, u·stride, h·stride, w·stride).
                long perUnit = spec["cin"] * spec["stride"] * spec["h"] * spec["stride"];
                if (perUnit * units > OneDnnMinimum) spec = spec with { MinUnits = Math.Min(units, OneDnnMinimum / perUnit + 1) };
            }
            string key = op + " " + spec.Shape;
            ops[key] = ops.TryGetValue(key, out var old) ? old with { Count = old.Count + count } : spec;
        }
        long[] Grid(int level) => [block[0] >> level, block[1] >> level, block[2] >> level];
        (string, long)[] G(long[] g) => [("d", g[0]), ("h", g[1]), ("w", g[2])];

        void Conv(long cin, long cout, long k, long[] g, int n) =>
            Add("conv3d", k == 3 ? "Conv3d 3×3×3" : "Conv3d 1×1×1", n, g[0], [("cin", cin), ("cout", cout), ("k", k), ("stride", 1), .. G(g)]);
        void ResBlock(long cin, long cout, long[] g, int n)
        {
            Conv(cin, cout, 3, g, n);
            Conv(cout, cout, 3, g, n);
            int norms = cin != cout ? 3 : 2;
            if (cin != cout) Conv(cin, cout, 1, g, n);
            Add("instance_norm", "InstanceNorm3d", norms * n, g[0], [("c", cout), .. G(g)]);
            Add("leaky_relu_", "LeakyReLU, residual add (elementwise)", 2 * n, g[0], [("c", cout), .. G(g)]);
            Add("add_", "LeakyReLU, residual add (elementwise)", n, g[0], [("c", cout), .. G(g)]);
        }

        long fs = a.FeatureSize;
        int decoders = a.EmbeddingDim > 0 ? 2 : 1;
        // Encoder: patch embedding, the skip blocks encoder1..4 and encoder10, hidden-state normalisation.
        Add("conv3d", "Conv3d 2×2×2 stride 2 (patch embedding)", 1, Grid(1)[0], [("cin", a.InChannels), ("cout", fs), ("k", 2), ("stride", 2), .. G(Grid(1))]);
        ResBlock(a.InChannels, fs, Grid(0), 1);
        ResBlock(fs, fs, Grid(1), 1);
        ResBlock(2 * fs, 2 * fs, Grid(2), 1);
        ResBlock(4 * fs, 4 * fs, Grid(3), 1);
        ResBlock(16 * fs, 16 * fs, Grid(5), 1);
        for (int level = 1; level <= 5; level++)
            Add("hidden_norm", "LayerNorm", 1, Grid(level)[0], [("c", fs << (level - 1)), .. G(Grid(level))]);

        // Swin stages: residual block (V2), blocks of (shifted) window attention and MLP, patch merging.
        for (int i = 0; i < 4; i++)
        {
            long c = fs << i, heads = a.Heads[i];
            long[] g = Grid(i + 1), ws = new long[3], shift = new long[3], padded = new long[3];
            for (int ax = 0; ax < 3; ax++)
            {
                bool small = g[ax] <= a.WindowSize;
                ws[ax] = small ? g[ax] : a.WindowSize;
                shift[ax] = small ? 0 : a.WindowSize / 2;
                padded[ax] = (g[ax] + ws[ax] - 1) / ws[ax] * ws[ax];
            }
            long windows = padded[0] / ws[0] * (padded[1] / ws[1]) * (padded[2] / ws[2]);
            long n = ws[0] * ws[1] * ws[2];
            bool pads = !padded.SequenceEqual(g);
            if (a.UseV2) ResBlock(c, c, g, 1);
            Add("permute_copy", "layout copies (permute, pad, roll, window partition)", 1, g[0], [("c", c), .. G(g)]);
            (string, long)[] att = [("windows", windows), ("heads", heads), ("n", n), ("hd", c / heads)];
            for (int b = 0; b < a.Depths[i]; b++)
            {
                bool shifted = b % 2 == 1 && shift.Any(s => s > 0);
                Add("layer_norm", "LayerNorm", 2, g[0], [("c", c), .. G(g)]);
                if (pads) Add("pad", "layout copies (permute, pad, roll, window partition)", 1, g[0], [("c", c), .. G(g), ("pd", padded[0]), ("ph", padded[1]), ("pw", padded[2])]);
                if (shifted) Add("roll", "layout copies (permute, pad, roll, window partition)", 2, padded[0], [("c", c), .. G(padded), ("sd", shift[0]), ("sh", shift[1]), ("sw", shift[2])]);
                Add("partition", "layout copies (permute, pad, roll, window partition)", 2, padded[0] / ws[0], [("c", c), .. G(padded), ("wd", ws[0]), ("wh", ws[1]), ("ww", ws[2])]);
                Add("linear", "Linear (qkv, proj, MLP, merging)", 1, windows, [("cin", c), ("cout", 3 * c), ("rows", n)]);
                Add("attn_qk", "attention matmuls q·kᵀ, p·v", 1, windows, att);
                Add("bias_add_", "attention bias, mask, softmax", 1, windows, att);
                if (shifted) Add("mask_add_", "attention bias, mask, softmax", 1, windows, att);
                Add("softmax_", "attention bias, mask, softmax", 1, windows, att);
                Add("attn_pv", "attention matmuls q·kᵀ, p·v", 1, windows, att);
                Add("linear", "Linear (qkv, proj, MLP, merging)", 1, windows, [("cin", c), ("cout", c), ("rows", n)]);
                if (pads) Add("crop", "layout copies (permute, pad, roll, window partition)", 1, g[0], [("c", c), .. G(g), ("pd", padded[0]), ("ph", padded[1]), ("pw", padded[2])]);
                Add("add", "Swin residual adds, GELU", 2, g[0], [("c", c), .. G(g)]);
                long hidden = (long)(c * a.MlpRatio);
                Add("linear", "Linear (qkv, proj, MLP, merging)", 1, g[0], [("cin", c), ("cout", hidden), ("rows", g[1] * g[2])]);
                Add("gelu", "Swin residual adds, GELU", 1, g[0], [("c", hidden), .. G(g)]);
                Add("linear", "Linear (qkv, proj, MLP, merging)", 1, g[0], [("cin", hidden), ("cout", c), ("rows", g[1] * g[2])]);
            }
            long[] half = [g[0] / 2, g[1] / 2, g[2] / 2];
            Add("patch_merge", "layout copies (permute, pad, roll, window partition)", 1, half[0], [("c", c), .. G(half)]);
            Add("layer_norm", "LayerNorm", 1, half[0], [("c", 8 * c), .. G(half)]);
            Add("linear", "Linear (qkv, proj, MLP, merging)", 1, half[0], [("cin", 8 * c), ("cout", 2 * c), ("rows", half[1] * half[2])]);
        }

        // Decoders: each stage up-samples 2× by a transposed convolution, concatenates the skip and runs a
        // residual block; a 1×1×1 convolution gives the classes (and, second decoder, the embeddings).
        long[] levels = [16 * fs, 8 * fs, 4 * fs, 2 * fs, fs, fs];
        for (int s = 0; s < 5; s++)
        {
            long cin = levels[s], cout = levels[s + 1];
            long[] from = Grid(5 - s), to = Grid(4 - s);
            Add("conv_transpose3d", "ConvTranspose3d 2×2×2 stride 2", decoders, from[0], [("cin", cin), ("cout", cout), .. G(from)]);
            Add("cat", "concatenation (decoder skips)", decoders, to[0], [("c1", cout), ("c2", cout), .. G(to)]);
            ResBlock(2 * cout, cout, to, decoders);
        }
        Conv(fs, a.Classes, 1, Grid(0), 1);
        if (a.EmbeddingDim > 0) Conv(fs, a.EmbeddingDim, 1, Grid(0), 1);
        return ops.Values.ToList();
    }
}
