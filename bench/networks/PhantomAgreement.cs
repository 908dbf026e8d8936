using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using static TorchSharp.torch;

namespace CtSegLabel.NetworkBench;

/// <summary>How often a lower precision (bf16 or mixed) picks the same class as fp32 (argmax per voxel), on
/// blocks of synthetic CT phantoms preprocessed as thesis §3.2 says: body box of voxels above −200 HU,
/// stretched to 128×128 in-plane, 3 mm slices, −700 HU → 0 and 1400 HU → 1; the central 64 slices.
/// With a checkpoint its weights are used, else random ones. Random weights have small logit margins —
/// many voxels are near-ties that any rounding flips — so the agreement is also given restricted to voxels
/// whose fp32 top-2 logit margin exceeds a threshold, with the share of voxels that are kept.
/// Arguments: ARCH PRECISION PHANTOMS THREADS [SLICES [CHECKPOINT]].</summary>
public static class PhantomAgreement
{
    private static readonly double[] Margins = [0.01, 0.05, 0.1, 0.25];

    public static int Run(string[] args)
    {
        string archName = args[0];
        var precision = ComputeDevice.ParsePrecision(args[1]);
        int count = int.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[3], CultureInfo.InvariantCulture);
        int slices = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 64;
        string? checkpoint = args.Length > 5 ? args[5] : null;
        set_num_threads(threads);

        SegmentationNetwork net;
        if (checkpoint is not null) net = ModelCheckpoint.Load(checkpoint).Network;
        else
        {
            manual_seed(0);
            net = NetworkArchitecture.Create(archName, "full").Build();
        }
        using var _ = no_grad();
        net.eval();
        // All fp32 answers first, then one conversion: fp32 weights must not pass through bf16 before the
        // reference is computed.
        var blocks = Enumerable.Range(0, count).Select(i => Block(i, slices)).ToList();
        var reference = new List<(Tensor Classes, Tensor Margin, double Seconds)>();
        foreach (var block in blocks)
        {
            var clock = Stopwatch.StartNew();
            using var y = net.forward(block);
            double seconds = clock.Elapsed.TotalSeconds;
            var (values, indexes) = y.Semantic.topk(2, dim: 1);
            using (values)
            using (indexes)
            using (var first = values.select(1, 0))
            using (var second = values.select(1, 1))
                reference.Add((indexes.select(1, 0), first - second, seconds));
        }
        var low = new ComputeDevice(CPU, precision);
        low.Place(net);
        var results = new List<object>();
        for (int i = 0; i < count; i++)
        {
            using var input = low.Place(blocks[i]);
            var clock = Stopwatch.StartNew();
            using var y = net.forward(input);
            double seconds = clock.Elapsed.TotalSeconds;
            using var classes = y.Semantic.argmax(1);
            using var same = classes.eq(reference[i].Classes);
            var byMargin = new Dictionary<string, object>();
            foreach (double m in Margins)
            {
                using var kept = reference[i].Margin.gt(m);
                using var keptSame = same.logical_and(kept);
                long keptCount = kept.sum().item<long>();
                byMargin[m.ToString(CultureInfo.InvariantCulture)] = new
                {
                    agreement = keptCount == 0 ? double.NaN : (double)keptSame.sum().item<long>() / keptCount,
                    share_of_voxels = (double)keptCount / kept.numel(),
                };
            }
            using var marginQuantiles = quantile(reference[i].Margin.flatten(), tensor(new float[] { 0.1f, 0.5f, 0.9f }));
            results.Add(new
            {
                phantom = i,
                agreement = (double)same.sum().item<long>() / same.numel(),
                agreement_where_fp32_margin_above = byMargin,
                fp32_margin_p10_p50_p90 = marginQuantiles.data<float>().ToArray(),
                fp32_seconds = reference[i].Seconds,
                low_precision_seconds = seconds,
            });
            blocks[i].Dispose();
            reference[i].Classes.Dispose();
            reference[i].Margin.Dispose();
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            arch = archName,
            precision = ComputeDevice.Name(precision),
            weights = checkpoint ?? "random (seed 0)",
            block = $"{slices}×128×128",
            threads,
            phantoms = results,
        }));
        net.Dispose();
        return 0;
    }

    /// <summary>Phantom <paramref name="index"/> (seed 1) at 256² × 1.75 mm in-plane and 3 mm slices,
    /// preprocessed as in §3.2, its central <paramref name="slices"/> slices: (1, 1, slices, 128, 128).</summary>
    private static Tensor Block(int index, int slices)
    {
        var options = new PhantomOptions { Size = 256, Slices = slices + 16, Spacing = new Vec3(1.75, 1.75, 3.0) };
        var phantom = PhantomGenerator.Generate(1, index, options);
        var body = BodyCrop.Apply(phantom.Ct, BodyCrop.DefaultThresholdHu);
        var model = Resampler.Linear(body.Cropped, ResampleGrid.ForModel(body.Cropped.Geometry), fill: -1000f);
        var scaled = IntensityScaling.Apply(model);
        int first = Math.Max(0, (model.Shape.Z - slices) / 2);
        if (model.Shape.Z < slices)
            throw new InvalidOperationException($"phantom {index}: its body box has {model.Shape.Z} slices of 3 mm, fewer than {slices}");
        long plane = (long)model.Shape.X * model.Shape.Y;
        var data = scaled.Data.AsSpan((int)(first * plane), (int)(slices * plane)).ToArray();
        return tensor(data, [1, 1, slices, model.Shape.Y, model.Shape.X]);
    }
}
