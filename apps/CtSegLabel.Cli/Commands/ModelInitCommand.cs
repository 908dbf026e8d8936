using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using TorchSharp;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model init`: a randomly initialised network, marked untrained — for timing and tests.</summary>
public sealed class ModelInitCommand : ICommand
{
    public string Name => "init";
    public string Usage => "ctseg model init --arch swinunetr-v2|slice [--config full|tiny] [--classes N] [--embedding-dim N] [--seed N] " +
                           "[--in-plane N] [--block-slices N] --out FILE   (FILE may be MODELS/<model>/<version>.ctseg: the server serves it)";

    public int Run(Arguments args, TextWriter output)
    {
        var arch = ModelCommand.Architecture(args);
        int seed = args.Int("seed", 0, 0);
        var preprocessing = ModelCommand.Preprocessing(args, arch);
        string path = args.Required("out");
        args.RejectUnknown();
        if (args.Positional.Count != 1) throw new UsageException("model init takes no positional arguments");

        long parameters = WriteRandom(path, arch, preprocessing, seed, PlaceholderLabels(arch.Classes));
        output.WriteLine($"wrote {path}: {arch.Name}, {parameters:N0} parameters, untrained (seed {seed})");
        return 0;
    }

    /// <summary>Writes a randomly initialised network of <paramref name="arch"/> (seeded), marked untrained, after
    /// checking that the preprocessing's windows fit it; returns its parameter count. `ctseg train` starts from one of
    /// these when it is given no checkpoint.</summary>
    internal static long WriteRandom(string path, NetworkArchitecture arch, PreprocessingParameters preprocessing, int seed, IReadOnlyList<LabelEntry> labels)
    {
        torch.manual_seed(seed);
        using var network = arch.Build();
        ModelCommand.CheckWindows(network, preprocessing);
        ModelCheckpoint.Save(path, network, new CheckpointMetadata
        {
            ModelVersion = "0.0.0-untrained",
            Architecture = arch,
            Preprocessing = preprocessing,
            Labels = labels,
            Provenance = new TrainingProvenance { Trained = false, Source = "init", Seed = seed, Notes = "random initial weights" },
        });
        return network.ParameterCount;
    }

    /// <summary>A network of the thesis's size gets the thesis's channel names (what the CT app reads); any other
    /// size gets background and numbered classes, which only training on a class table can name.</summary>
    internal static List<LabelEntry> PlaceholderLabels(int classes) => classes == ChannelMap.ThesisNames.Count
        ? ChannelMap.ThesisNames.Select((name, i) => new LabelEntry(i, i, name)).ToList()
        : Enumerable.Range(0, classes).Select(i => new LabelEntry(i, i, i == 0 ? ChannelMap.Background : $"class_{i}")).ToList();
}
