using System.Globalization;
using CtSegLabel.CtApp;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using CtSegLabel.Training;
using CtSegLabel.Training.Augmentation;
using CtSegLabel.Training.Labels;
using Spectre.Console;

namespace CtSegLabel.Cli.Commands;

/// <summary>
/// `ctseg train`: trains a network on the labeled images of a studies folder (MONAI Label layout: images at its root,
/// labels under labels/&lt;tag&gt;/ with the same file name) with <see cref="Trainer"/>, into a run directory (default
/// ./runs/NAME) that a second call with the same options resumes. Starts from --init, or from a random network of
/// --arch/--config written to RUNDIR/init.ctseg the way `ctseg model init` writes one. Progress is a live bar on a
/// terminal and plain lines otherwise; Ctrl+C stops cleanly (last.ctseg and state kept, exit code 130).
/// </summary>
public sealed class TrainCommand : ICommand
{
    public const int ExitStopped = 130;

    public string Name => "train";

    public string Usage => "ctseg train --studies DIR --model NAME [--init CKPT | --arch swinunetr-v2|slice-transformer --config full|tiny [--in-plane N] [--block-slices N]] " +
                           "[--epochs N] [--lr X] [--accumulation N] [--fine-tune] [--validation F] [--patience N] [--seed N] [--prefetch N] " +
                           "[--names CLASSES.tsv] [--no-augment] [--minutes M] [--device cpu|cuda:0] [--precision fp32|mixed] [--tag final] [--out RUNDIR] [--restart]";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "fine-tune", "restart", "no-augment" };

    public int Run(Arguments args, TextWriter output)
    {
        string studies = args.Required("studies");
        string model = args.Required("model");
        string? init = args.Option("init");
        string runDir = args.Option("out") ?? Path.Combine("runs", model);
        string tag = args.Option("tag") ?? "final";
        bool fromInit = init is not null;
        if (fromInit && (args.Has("arch") || args.Has("config") || args.Has("in-plane") || args.Has("block-slices")))
            throw new UsageException("--init fixes the architecture and preprocessing: give it without --arch, --config, --in-plane, --block-slices");
        var basis = args.Has("fine-tune") ? TrainingOptions.FineTune : new TrainingOptions();
        var options = basis with
        {
            MaxEpochs = args.Int("epochs", basis.MaxEpochs, 1, 1_000_000),
            LearningRate = Double(args, "lr", basis.LearningRate),
            Accumulation = args.Int("accumulation", basis.Accumulation, 1, 1_000_000),
            ValidationFraction = Double(args, "validation", basis.ValidationFraction),
            EarlyStoppingPatience = args.Has("patience") ? args.Int("patience", 0, 1, 1_000_000) : null,
            Seed = args.Int("seed", basis.Seed, 0),
            PrefetchDepth = args.Int("prefetch", basis.PrefetchDepth, 1, 64),
            Resume = !args.Has("restart"),
        };
        bool augment = !args.Has("no-augment");
        double minutes = Double(args, "minutes", 0);
        if (minutes < 0) throw new UsageException($"option --minutes: {minutes} is not a time budget (minutes > 0; 0 = none)");
        string? device = args.Option("device"), precision = args.Option("precision");
        ComputeDevice compute;
        try { compute = ComputeDevice.Choose(device, precision); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        if (options.Problems() is { Count: > 0 } problems) throw new UsageException(string.Join("; ", problems));

        try
        {
            var fresh = fromInit ? default : NewNetwork(args, model);
            args.RejectUnknown();
            if (args.Positional.Count != 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
            var names = args.Option("names") is { } table ? ClassNames(table) : null;
            var cases = LabeledCases(studies, tag, Path.Combine(runDir, "labels"), names, output);
            string initial = init ?? InitialCheckpoint(fresh.Arch!, fresh.Preprocessing!, options.Seed, runDir, output);
            output.WriteLine($"training {model}: {cases.Count} labeled images from {studies}, {initial} on {compute}, run directory {runDir}");
            var plan = new TrainingPlan(cases, initial, runDir, options, compute,
                augment ? new BlockAugmenter(AugmentationOptions.Thesis).AsTransform() : null);
            var budget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
            var (outcome, outOfTime) = ShowsLiveProgress(output) ? RunLive(plan, budget) : RunPlain(plan, budget, output);
            Summarise(outcome, runDir, output);
            if (outOfTime) output.WriteLine($"stopped at the time budget of {minutes} min");
            return outcome.Stopped && !outOfTime ? ExitStopped : 0;
        }
        catch (ModelFormatException e) { throw new VolumeFormatException(e.Path, e.Field, e.Problem, e); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The network --arch, --config, --in-plane and --block-slices ask for, with the thesis's channels; by
    /// default the architecture of the CT app's model of that name.</summary>
    private static (NetworkArchitecture? Arch, PreprocessingParameters? Preprocessing) NewNetwork(Arguments args, string model)
    {
        string archName = args.Option("arch") is { } a
            ? a == "slice-transformer" ? SliceTransformerArchitecture.ArchName : a
            : CtSegmentationApp.Models.FirstOrDefault(m => m.Name == model).Architecture ?? SwinUnetrV2Architecture.ArchName;
        var arch = NetworkArchitecture.Create(archName, args.Option("config") ?? "full", ChannelMap.ThesisNames.Count);
        return (arch, ModelCommand.Preprocessing(args, arch));
    }

    /// <summary>RUNDIR/init.ctseg: written once, with the thesis's channel names, so a resumed run starts from the same
    /// weights; an existing one must be the network asked for.</summary>
    private static string InitialCheckpoint(NetworkArchitecture arch, PreprocessingParameters preprocessing, int seed, string runDir, TextWriter output)
    {
        string path = Path.Combine(runDir, "init.ctseg");
        if (File.Exists(path))
        {
            var existing = ModelCheckpoint.ReadMetadata(path);
            var differences = arch.Differences(existing.Architecture).ToList();
            if (existing.Preprocessing != preprocessing) differences.Add("preprocessing");
            if (differences.Count > 0)
                throw new UsageException($"{path} holds another network ({string.Join("; ", differences)}): give another --out, or delete the run directory to start afresh");
            output.WriteLine($"starting from {path} (written by an earlier run)");
            return path;
        }
        var labels = ChannelMap.ThesisNames.Select((name, i) => new LabelEntry(i, i, name)).ToList();
        long parameters = ModelInitCommand.WriteRandom(path, arch, preprocessing, seed, labels);
        output.WriteLine($"wrote {path}: random {arch.Name} ({parameters:N0} parameters, seed {seed}) to start from");
        return path;
    }

    /// <summary>Every image at the studies folder's root with a label of the same file name under labels/&lt;tag&gt;/,
    /// the label brought to class-table values in <paramref name="prepared"/>: a .seg.nrrd by its segment names, other
    /// files by --names (a dataset's class list, e.g. TotalSegmentator's) or else as table values. Names a client sent
    /// with a label live in the server's datastore: train those there.</summary>
    private static List<TrainingCase> LabeledCases(string studies, string tag, string prepared, IReadOnlyDictionary<int, string>? names,
        TextWriter output)
    {
        if (!Directory.Exists(studies)) throw new DirectoryNotFoundException($"no such studies folder: {studies}");
        string labelDir = Path.Combine(studies, "labels", tag);
        if (!Directory.Exists(labelDir)) throw new UsageException($"{studies} has no labels/{tag} folder: no labeled image to train on");
        var cases = new List<TrainingCase>();
        foreach (var (name, imagePath, labelPath) in StudiesFolder.LabeledImages(studies, labelDir, output))
        {
            var (labeled, unknown) = PreparedLabel.Write(VolumeFile.Stem(name), imagePath, labelPath, null, prepared, cases.Count, names);
            if (unknown.Count > 0) output.WriteLine($"{name}: segments {string.Join(", ", unknown)} are no class of the CT table; trained as background");
            cases.Add(labeled);
        }
        if (cases.Count == 0) throw new UsageException($"no labeled image in {studies} (labels/{tag})");
        return cases;
    }

    /// <summary>--names: value → class name for every label file that does not name its own values.</summary>
    internal static IReadOnlyDictionary<int, string> ClassNames(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"option --names: no such file: {path}");
        try { return SubmittedLabelNames.FromTableFile(path); }
        catch (FormatException e) { throw new UsageException($"option --names: {e.Message}"); }
    }

    private static bool ShowsLiveProgress(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static (TrainingOutcome, bool OutOfTime) RunPlain(TrainingPlan plan, TimeSpan? budget, TextWriter output)
    {
        var progress = new InlineProgress(p => output.WriteLine(Line(p)));
        return WithCtrlC(budget, token => Trainer.RunAsync(plan, progress, token).GetAwaiter().GetResult());
    }

    private static (TrainingOutcome, bool OutOfTime) RunLive(TrainingPlan plan, TimeSpan? budget) =>
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask("preparing", maxValue: plan.Options.MaxEpochs);
                var progress = new InlineProgress(p =>
                {
                    bar.Value = Math.Max(bar.Value, p.Epoch - 1);
                    bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}/{p.TotalEpochs} step {p.Step} loss {p.Loss:F4} best Dice {(p.BestDice is double b ? b.ToString("F4", CultureInfo.InvariantCulture) : "-")} ETA {Eta(p)}"));
                    // Per-block and per-step news lives in the bar; everything else (epochs, validation, stops) gets a line.
                    if (!p.Message.Contains(" step ", StringComparison.Ordinal) && !p.Message.Contains(" block ", StringComparison.Ordinal))
                        AnsiConsole.WriteLine(Line(p));
                });
                var (outcome, outOfTime) = WithCtrlC(budget, token => Trainer.RunAsync(plan, progress, token).GetAwaiter().GetResult());
                bar.Value = outcome.EpochsRun;
                return (outcome, outOfTime);
            });

    /// <summary>Ctrl+C stops training cleanly instead of killing the process mid-write; so does the end of the time
    /// budget (--minutes), which is how a fixed-budget benchmark ends (best checkpoint kept, not an interruption).</summary>
    private static (TrainingOutcome Outcome, bool OutOfTime) WithCtrlC(TimeSpan? budget, Func<CancellationToken, TrainingOutcome> run)
    {
        using var stop = new CancellationTokenSource();
        using var timer = budget is { } b ? new CancellationTokenSource(b) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timer.Token);
        ConsoleCancelEventHandler handler = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += handler;
        try
        {
            var outcome = run(either.Token);
            return (outcome, outcome.Stopped && timer.IsCancellationRequested && !stop.IsCancellationRequested);
        }
        finally { Console.CancelKeyPress -= handler; }
    }

    private static string Line(TrainingProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"[{p.Elapsed.TotalSeconds,7:F1} s] {p.Message}{(p.Eta is { } ? $"  (ETA {Eta(p)})" : "")}");

    private static string Eta(TrainingProgress p) => p.Eta is { } eta ? eta.ToString(eta.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "-";

    private static void Summarise(TrainingOutcome outcome, string runDir, TextWriter output)
    {
        if (outcome.Stopped) output.WriteLine($"stopped after epoch {outcome.EpochsRun}: run the same command again to resume");
        output.WriteLine(outcome.BestCheckpoint is { } best
            ? string.Create(CultureInfo.InvariantCulture, $"best:  {best} (validation Dice {outcome.BestDice:F4}, epoch {outcome.BestEpoch})")
            : "best:  none (no validation has run)");
        output.WriteLine($"last:  {outcome.LastCheckpoint} (epoch {outcome.EpochsRun}, step {outcome.Steps})");
        output.WriteLine($"curve: {Path.Combine(Path.GetFullPath(runDir), "curve.csv")}, {Path.Combine(Path.GetFullPath(runDir), "curve.png")}");
        output.WriteLine($"trained on {string.Join(", ", outcome.CaseIds)}; validated on {(outcome.ValidationIds.Count > 0 ? string.Join(", ", outcome.ValidationIds) : "none")}");
    }

    private static double Double(Arguments args, string name, double fallback)
    {
        string? s = args.Option(name);
        if (s is null) return fallback;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new UsageException($"option --{name}: '{s}' is not a number");
    }

    /// <summary>Reports on the training thread as they happen, in order (Progress&lt;T&gt; would post them later,
    /// out of order with the lines around them).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        private readonly Lock _lock = new();

        public void Report(TrainingProgress value)
        {
            lock (_lock) report(value);
        }
    }
}
