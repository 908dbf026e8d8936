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

/// <summary>How often bf16 inference picks the same class as fp32 (argmax per voxel), on blocks of
/// synthetic CT phantoms scaled as in §3.2 (−700 HU → 0, 1400 HU → 1), 64×128×128 unless SLICES and SIZE
/// say otherwise (bf16 is very slow on CPUs without bf16 instructions). With a checkpoint its weights are
/// used, else random ones (which have small logit margins: a pessimistic figure).
/// Arguments: ARCH PHANTOMS THREADS [SLICES SIZE [CHECKPOINT]].</summary>
public static class PhantomAgreement
{
    public static int Run(string[] args)
    {
        string archName = args[0];
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
        int slices = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 64;
        int size = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 128;
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
        // All fp32 answers first, then one conversion to bf16: converting back and forth would leave the
        // fp32 network with bf16-rounded weights.
        var blocks = Enumerable.Range(0, count).Select(i => Block(i, slices, size)).ToList();
        var fp32Classes = new List<Tensor>();
        foreach (var block in blocks)
        {
            using var y = net.forward(block);
            fp32Classes.Add(y.Semantic.argmax(1));
        }
        var bf16 = new ComputeDevice(CPU, Precision.BFloat16);
        bf16.Place(net);
        var results = new List<double>();
        for (int i = 0; i < count; i++)
        {
            using var input = bf16.Place(blocks[i]);
            using var low = net.forward(input);
            using var lowClasses = low.Semantic.argmax(1);
            using var same = lowClasses.eq(fp32Classes[i]).to(float32).mean();
            results.Add(same.item<float>());
            blocks[i].Dispose();
            fp32Classes[i].Dispose();
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            arch = archName,
            weights = checkpoint ?? "random (seed 0)",
            phantoms = count,
            block = $"{slices}×{size}×{size}",
            argmax_agreement_bf16_vs_fp32 = results,
            mean = results.Average(),
            min = results.Min(),
        }));
        net.Dispose();
        return 0;
    }

    /// <summary>Phantom <paramref name="index"/> (seed 1) rendered straight onto a size × size grid of
    /// 3 mm slices covering ~45 cm in-plane, intensity-scaled; (1, 1, slices, size, size).</summary>
    private static Tensor Block(int index, int slices, int size)
    {
        double pixel = 448.0 / size;
        var phantom = PhantomGenerator.Generate(1, index, new PhantomOptions { Size = size, Slices = slices, Spacing = new Vec3(pixel, pixel, 3.0) });
        var scaled = IntensityScaling.Apply(phantom.Ct);
        return tensor(scaled.Data, [1, 1, slices, size, size]);
    }
}
