using System.Diagnostics;
using System.Globalization;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Training;
using CtSegLabel.Training.Export;
using CtSegLabel.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Bench;

/// <summary>
/// One training step of a network as the trainer takes it (forward with embeddings, soft Dice + discriminative loss,
/// backward, AdamW step) on a real block: the first 64 model-grid slices of a whole-body phantom through the training
/// targets. Reports each step's time and the process's peak resident memory. The PyTorch peer is
/// bench/train/pytorch_step.py on the same block size.
/// </summary>
public static class TrainStepBenchmark
{
    public static int Run(string[] args)
    {
        string config = Option(args, "--config") ?? "full";
        string precision = Option(args, "--precision") ?? "fp32";
        int steps = int.Parse(Option(args, "--steps") ?? "3", CultureInfo.InvariantCulture);

        torch.manual_seed(0);
        var arch = NetworkArchitecture.Create(SwinUnetrV2Architecture.ArchName, config, ChannelMap.ThesisNames.Count);
        var device = ComputeDevice.Choose("cpu", precision);
        var pre = config == "tiny" ? new PreprocessingParameters { InPlaneSize = 64, BlockSlices = 32 } : new PreprocessingParameters();
        var (image, semantic, instances, annotated) = Block(pre, Option(args, "--save-sample"));

        using var network = device.Place(arch.Build());
        network.train();
        using var optimizer = optim.AdamW(network.parameters(), 1e-3, weight_decay: 0.01);
        var dice = new SoftDiceLoss();
        var discriminative = new DiscriminativeLoss();
        var times = new List<double>();
        for (int step = 0; step < steps; step++)
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var output = network.forward(device.Place(image), withEmbeddings: true);
                var loss = dice.Compute(output.Semantic, semantic, annotated) + discriminative.Compute(output.Embedding!, instances);
                loss.backward();
                optimizer.step()?.Dispose();
                optimizer.zero_grad();
            }
            times.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step + 1}: {times[^1]:F2} s"));
        }
        var warm = times.Skip(1).DefaultIfEmpty(times[0]).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| TorchSharp | {config} | {precision} | {pre.BlockSlices}×{pre.InPlaneSize}×{pre.InPlaneSize} | {warm[warm.Count / 2]:F2} s | {PeakResidentGb():F2} GB | {torch.get_num_threads()} |"));
        return 0;
    }

    /// <summary>The first block of a whole-body phantom on the model grid, as the trainer's tensors.</summary>
    /// <param name="save">Where to write the whole sample (.npz) for the PyTorch peer, or null.</param>
    private static (Tensor Image, Tensor Semantic, Tensor Instances, Tensor Annotated) Block(PreprocessingParameters pre, string? save)
    {
        var phantom = PhantomGenerator.Generate(3, 0, new PhantomOptions { Size = 256, Range = RangeKind.WholeBody });
        var sample = TrainingTargets.Build(phantom.Ct, phantom.Labels, pre, ChannelMap.Thesis)
                     ?? throw new InvalidOperationException("the phantom has no body");
        if (save is not null)
            NpzArchive.Write(save, npz =>
            {
                npz.Add("image", sample.Image, asHalf: false);
                npz.Add("semantic", sample.Semantic);
                npz.Add("instance", sample.Instances);
            });
        var s = sample.Image.Shape;
        int slices = Math.Min(pre.BlockSlices, s.Z);
        long plane = (long)s.X * s.Y;
        float[] image = new float[pre.BlockSlices * plane];
        long[] semantic = new long[image.Length], instances = new long[image.Length];
        for (long v = 0; v < slices * plane; v++)
        {
            image[v] = sample.Image.Data[v];
            semantic[v] = sample.Semantic.Data[v];
            instances[v] = sample.Instances.Data[v];
        }
        long[] shape = [1, pre.BlockSlices, s.Y, s.X];
        return (tensor(image, [1, 1, pre.BlockSlices, s.Y, s.X]), tensor(semantic, shape), tensor(instances, shape),
            tensor(sample.Annotated, [1, sample.Annotated.Length]));
    }

    private static double PeakResidentGb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024)
            .FirstOrDefault();

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
