using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CtSegLabel.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CtSegLabel.NetworkBench;

/// <summary>Times every operation of a full-size SwinUNETR-V2 forward (<see cref="OpCatalogue"/>) in
/// isolation, fp32 against bf16, in this process's libtorch. An op whose call would take long (bf16
/// without bf16 instructions: naive kernels) runs on a slab of its units — the smallest slab first,
/// growing 4× until one call takes the time budget or the op is whole — and is scaled to full size.
/// Arguments: THREADS [BUDGET_S [REPEATS [DTYPES [FILTER]]]] (DTYPES "fp32,bf16"; FILTER: only ops whose
/// "op shape" text contains it); `ops-list` prints the catalogue for op_profile.py.</summary>
public static class OpProfile
{
    public static readonly long[] Block = [64, 128, 128];

    public static IReadOnlyList<OpSpec> Catalogue() => OpCatalogue.SwinUnetrV2(SwinUnetrV2Architecture.Full, Block);

    public static int List()
    {
        Console.WriteLine(JsonSerializer.Serialize(Catalogue()));
        return 0;
    }

    public static int Run(string[] args)
    {
        int threads = int.Parse(args[0], CultureInfo.InvariantCulture);
        double budget = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0.5;
        int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        string[] dtypes = args.Length > 3 ? args[3].Split(',') : ["fp32", "bf16"];
        string filter = args.Length > 4 ? args[4] : "";
        set_num_threads(threads);
        using var _ = no_grad();
        manual_seed(0);
        foreach (var spec in Catalogue().Where(o => $"{o.Op} {o.Shape}".Contains(filter, StringComparison.Ordinal)))
        {
            // fp32 and bf16 of one op back to back, so that load from other jobs hits both alike.
            foreach (string name in dtypes)
            {
                var dtype = name == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32;
                var row = new Dictionary<string, object>
                {
                    ["tool"] = "TorchSharp 0.107.0 (libtorch 2.10.0)",
                    ["op"] = spec.Op,
                    ["kind"] = spec.Kind,
                    ["shape"] = spec.Shape,
                    ["count"] = spec.Count,
                    ["dtype"] = name,
                    ["units_full"] = spec.Units,
                };
                try
                {
                    var (seconds, units) = Measure(spec, dtype, budget, repeats);
                    row["units_measured"] = units;
                    row["seconds_per_call"] = seconds;
                    row["seconds_per_forward"] = seconds * spec.Count;
                }
                catch (System.Runtime.InteropServices.ExternalException e)
                {
                    // an op this libtorch has no kernel for in this dtype
                    row["error"] = e.Message.Split('\n')[0];
                }
                Console.WriteLine(JsonSerializer.Serialize(row));
            }
        }
        return 0;
    }

    /// <summary>Median seconds of one call at full size (scaled from the largest slab timed) and the
    /// number of units actually run.</summary>
    private static (double Seconds, long Units) Measure(OpSpec spec, ScalarType dtype, double budget, int repeats)
    {
        // The 20,480 rule is in libtorch's fp32 branch only: bf16 on a CPU without bf16 instructions never
        // reaches oneDNN, so its slab may be as thin as one unit.
        long units = Math.Max(dtype == ScalarType.Float32 ? spec.MinUnits : 1, spec.Units / 64);
        while (true)
        {
            using var scope = NewDisposeScope();
            var run = Prepare(spec, units, dtype);
            run().Dispose(); // warm-up: oneDNN builds its kernel for the shape on the first call
            double once = Time(run);
            bool last = once >= budget || units == spec.Units;
            // A call many times the budget (a reference kernel) is timed once: its noise is small beside it.
            if (once >= 4 * budget) return (once * spec.Units / units, units);
            if (last)
            {
                var times = new List<double> { once };
                for (int i = 1; i < repeats; i++) times.Add(Time(run));
                times.Sort();
                return (times[times.Count / 2] * spec.Units / units, units);
            }
            units = Math.Min(spec.Units, units * 4);
        }
    }

    private static double Time(Func<Tensor> run)
    {
        var clock = Stopwatch.StartNew();
        run().Dispose();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Inputs (and weights) for <paramref name="units"/> units of the op, made in the caller's
    /// dispose scope, and the call to time. Tensor layouts are those the network hands the op.</summary>
    private static Func<Tensor> Prepare(OpSpec s, long units, ScalarType dt)
    {
        Tensor R(params long[] shape) => randn(shape, dtype: dt);
        long u = units;
        switch (s.Op)
        {
            case "conv3d":
            {
                long k = s["k"], stride = s["stride"];
                var x = R(1, s["cin"], u * stride, s["h"] * stride, s["w"] * stride);
                var w = R(s["cout"], s["cin"], k, k, k).mul_(0.05);
                long pad = stride == 1 ? (k - 1) / 2 : 0;
                return () => F.conv3d(x, w, null, [stride, stride, stride], [pad, pad, pad]);
            }
            case "conv_transpose3d":
            {
                var x = R(1, s["cin"], u, s["h"], s["w"]);
                var w = R(s["cin"], s["cout"], 2, 2, 2).mul_(0.05);
                return () => F.conv_transpose3d(x, w, null, [2, 2, 2]);
            }
            case "instance_norm":
            {
                var x = R(1, s["c"], u, s["h"], s["w"]);
                return () => F.instance_norm(x);
            }
            case "leaky_relu_":
            {
                var x = R(1, s["c"], u, s["h"], s["w"]);
                return () => F.leaky_relu(x, 0.01, inplace: true).alias();
            }
            case "add_":
            {
                var x = R(1, s["c"], u, s["h"], s["w"]);
                var y = R(1, s["c"], u, s["h"], s["w"]);
                return () => x.add_(y).alias();
            }
            case "add":
            {
                var x = R(1, u, s["h"], s["w"], s["c"]);
                var y = R(1, u, s["h"], s["w"], s["c"]);
                return () => x + y;
            }
            case "cat":
            {
                var x = R(1, s["c1"], u, s["h"], s["w"]);
                var y = R(1, s["c2"], u, s["h"], s["w"]);
                return () => cat([x, y], 1);
            }
            case "hidden_norm":
            {
                // Layer norm over the channels of a channel-first grid, back to channel-first, contiguous.
                var x = R(1, s["c"], u, s["h"], s["w"]);
                return () =>
                {
                    using var last = x.permute(0, 2, 3, 4, 1);
                    using var n = F.layer_norm(last, [s["c"]]);
                    using var back = n.permute(0, 4, 1, 2, 3);
                    return back.contiguous();
                };
            }
            case "layer_norm":
            {
                var x = R(1, u, s["h"], s["w"], s["c"]);
                var weight = ones(s["c"], dtype: dt);
                var bias = zeros(s["c"], dtype: dt);
                return () => F.layer_norm(x, [s["c"]], weight, bias);
            }
            case "permute_copy":
            {
                var x = R(1, s["c"], u, s["h"], s["w"]);
                return () =>
                {
                    using var last = x.permute(0, 2, 3, 4, 1);
                    return last.contiguous();
                };
            }
            case "pad":
            {
                var x = R(1, u, s["h"], s["w"], s["c"]);
                long pd = u == s["d"] ? s["pd"] - s["d"] : 0; // a slab is not padded in depth
                return () => F.pad(x, [0, 0, 0, s["pw"] - s["w"], 0, s["ph"] - s["h"], 0, pd]);
            }
            case "crop":
            {
                var x = R(1, u, s["ph"], s["pw"], s["c"]);
                return () =>
                {
                    using var a = x.slice(2, 0, s["h"], 1);
                    using var b = a.slice(3, 0, s["w"], 1);
                    return b.contiguous();
                };
            }
            case "roll":
            {
                var x = R(1, u, s["h"], s["w"], s["c"]);
                return () => roll(x, [-s["sd"], -s["sh"], -s["sw"]], [1, 2, 3]);
            }
            case "partition":
            {
                long wd = s["wd"], wh = s["wh"], ww = s["ww"], c = s["c"];
                var x = R(1, u * wd, s["h"], s["w"], c);
                return () =>
                {
                    using var v = x.view(1, u, wd, s["h"] / wh, wh, s["w"] / ww, ww, c);
                    using var p = v.permute(0, 1, 3, 5, 2, 4, 6, 7);
                    return p.reshape(-1, wd * wh * ww, c);
                };
            }
            case "patch_merge":
            {
                long c = s["c"];
                var x = R(1, 2 * u, 2 * s["h"], 2 * s["w"], c);
                (int D, int H, int W)[] order = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)];
                return () =>
                {
                    using var inner = NewDisposeScope();
                    var parts = order.Select(o => x.slice(1, o.D, x.shape[1], 2).slice(2, o.H, x.shape[2], 2).slice(3, o.W, x.shape[3], 2)).ToArray();
                    return inner.MoveToOuter(cat(parts, -1));
                };
            }
            case "linear":
            {
                var x = R(u, s["rows"], s["cin"]);
                var w = R(s["cout"], s["cin"]).mul_(0.05);
                var b = R(s["cout"]);
                return () => F.linear(x, w, b);
            }
            case "gelu":
            {
                var x = R(1, u, s["h"], s["w"], s["c"]);
                return () => F.gelu(x);
            }
            case "attn_qk":
            case "attn_pv":
            {
                // From the qkv projection's output, as WindowAttention lays q, k, v out.
                long h = s["heads"], n = s["n"], hd = s["hd"];
                var qkvOut = R(u, n, 3 * h * hd);
                var probs = softmax(R(u, h, n, n), -1);
                double scale = 1.0 / Math.Sqrt(hd);
                if (s.Op == "attn_qk")
                    return () =>
                    {
                        using var inner = NewDisposeScope();
                        var qkv = qkvOut.reshape(u, n, 3, h, hd).permute(2, 0, 3, 1, 4);
                        var scaled = qkv[0] * scale;
                        return inner.MoveToOuter(scaled.matmul(qkv[1].transpose(-2, -1)));
                    };
                return () =>
                {
                    using var inner = NewDisposeScope();
                    var qkv = qkvOut.reshape(u, n, 3, h, hd).permute(2, 0, 3, 1, 4);
                    var attended = probs.matmul(qkv[2]);
                    // merging the heads back is a copy too
                    return inner.MoveToOuter(attended.transpose(1, 2).reshape(u, n, h * hd));
                };
            }
            case "bias_add_":
            {
                long h = s["heads"], n = s["n"];
                var scores = R(u, h, n, n);
                var bias = R(1, h, n, n);
                return () => scores.add_(bias).alias();
            }
            case "mask_add_":
            {
                long h = s["heads"], n = s["n"];
                var scores = R(u, h, n, n);
                var mask = R(u, n, n);
                return () =>
                {
                    using var perSample = scores.view(1, u, h, n, n);
                    using var windowMask = mask.view(1, u, 1, n, n);
                    return perSample.add_(windowMask).alias();
                };
            }
            case "softmax_":
            {
                long h = s["heads"], n = s["n"];
                var scores = R(u, h, n, n);
                return () =>
                {
                    using (var max = scores.amax([-1], keepdim: true)) scores.sub_(max);
                    scores.exp_();
                    using (var sum = scores.sum(-1, keepdim: true)) scores.div_(sum);
                    return scores.alias();
                };
            }
            default:
                throw new ArgumentException($"unknown op '{s.Op}'");
        }
    }
}
