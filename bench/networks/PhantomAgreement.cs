using System.Globalization;
using System.Text.Json;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.NetworkBench;

/// <summary>How often bf16 inference picks the same class as fp32 (argmax per voxel), on 64×128×128
/// blocks of synthetic CT phantoms scaled as in §3.2 (−700 HU → 0, 1400 HU → 1). With a checkpoint its
/// weights are used, else random ones (which have small logit margins: a pessimistic figure).</summary>
public static class PhantomAgreement
{
    public static int Run(string[] args)
    {
        string archName = args[0];
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
        string? checkpoint = args.Length > 3 ? args[3] : null;
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
        var results = new List<double>();
        for (int index = 0; index < count; index++)
        {
            using var block = Block(index);
            new ComputeDevice(CPU, Precision.Float32).Place(net);
            using var fp32 = net.forward(block);
            using var fp32Classes = fp32.Semantic.argmax(1);
            var bf16 = new ComputeDevice(CPU, Precision.BFloat16);
            bf16.Place(net);
            using var input = bf16.Place(block);
            using var low = net.forward(input);
            using var lowClasses = low.Semantic.argmax(1);
            using var same = lowClasses.eq(fp32Classes).to(float32).mean();
            results.Add(same.item<float>());
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            arch = archName,
            weights = checkpoint ?? "random (seed 0)",
            phantoms = count,
            argmax_agreement_bf16_vs_fp32 = results,
            mean = results.Average(),
            min = results.Min(),
        }));
        net.Dispose();
        return 0;
    }

    /// <summary>Phantom <paramref name="index"/> (seed 1) rendered straight onto a 128×128 × 64-slice
    /// grid at 3 mm slices, intensity-scaled; (1, 1, 64, 128, 128).</summary>
    private static Tensor Block(int index)
    {
        var phantom = PhantomGenerator.Generate(1, index, new PhantomOptions { Size = 128, Slices = 64, Spacing = new Vec3(3.5, 3.5, 3.0) });
        var scaled = IntensityScaling.Apply(phantom.Ct);
        return tensor(scaled.Data, [1, 1, 64, 128, 128]);
    }
}
