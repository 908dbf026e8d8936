using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.CtApp;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.Cli.Commands;

/// <summary>
/// `ctseg infer -i CT -o OUT`: one CT through a network checkpoint and the whole-CT pipeline, TotalSegmentator-like.
/// OUT is a label map (.nii.gz, .nii, .nrrd, or .seg.nrrd with segment names and colours); beside it, OUT's name with
/// .json holds the result's params as /infer answers them: label_names (value of each structure), model version,
/// latencies and, with --statistics, volume and mean HU per structure. The checkpoint is a file (--model) or
/// the current version of a model in a models folder (--models, default ./models; --name, default swinunetr_v2),
/// the same rule the server uses. Progress goes to the output as plain lines.
/// </summary>
public sealed class InferCommand : ICommand
{
    private static readonly string[] OutputExtensions = [".nii.gz", ".nii", ".seg.nrrd", ".nrrd"];

    public string Name => "infer";

    public string Usage => "ctseg infer -i CT -o OUT [--model CKPT | --models DIR --name swinunetr_v2|slice_transformer] " +
                           "[--roi-subset liver,spleen] [--statistics] [--ribs connected_components|clustering] [--device cpu|cuda] [--precision fp32|mixed|bf16]";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "statistics" };

    public int Run(Arguments args, TextWriter output)
    {
        string input = args.Option("i") ?? args.Option("input") ?? throw new UsageException("give the CT with -i FILE");
        string target = args.Option("o") ?? args.Option("output") ?? throw new UsageException("give the label file with -o FILE");
        string? checkpoint = args.Option("model");
        string? modelsDir = args.Option("models");
        string? name = args.Option("name");
        var parameters = new JsonObject { [CtInferOptions.StatisticsKey] = args.Has("statistics") };
        if (args.Option("roi-subset") is { } roi) parameters[CtInferOptions.RoiSubsetKey] = roi;
        if (args.Option("ribs") is { } ribs) parameters[CtInferOptions.RibsKey] = ribs;
        string? precision = args.Option("precision");
        if (precision is not null) parameters[CtInferOptions.PrecisionKey] = precision;
        string? deviceName = args.Option("device");
        args.RejectUnknown();
        if (args.Positional.Count != 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        if (checkpoint is not null && (modelsDir is not null || name is not null))
            throw new UsageException("give either --model CKPT or --models DIR [--name NAME], not both");
        if (!OutputExtensions.Any(e => target.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw new UsageException($"-o {target}: the label file must end in {string.Join(", ", OutputExtensions)}");

        CtInferOptions options;
        ComputeDevice device;
        try
        {
            options = CtInferOptions.FromParams(parameters);
            device = ComputeDevice.Choose(deviceName, precision);
        }
        catch (InferParameterException e) { throw new UsageException($"--{e.Key.Replace('_', '-')}: {e.Problem}"); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        if (!File.Exists(input)) throw new FileNotFoundException($"no such CT: {input}", input);
        var clock = Stopwatch.StartNew();
        try
        {
            using var lease = checkpoint is not null
                ? LoadedModel.LoadExclusive(ModelVersion.Read(checkpoint), device)
                : FromStore(modelsDir ?? "models", name ?? CtSegmentationApp.SwinUnetrV2Model, device);
            var version = lease.Model.Version;
            output.WriteLine($"model: {version.Path} ({version.Metadata.Architecture.Name}, version {version.Metadata.ModelVersion}" +
                             (version.Metadata.Provenance.Trained ? "" : ", UNTRAINED: random weights, meaningless output") + $") on {device}");

            var image = VolumeFile.Read(input);
            output.WriteLine($"image: {input} {image.Shape} {image.VoxelType}");
            var result = CtSegmentation.Run(lease.Model, image, options, new LineProgress(output, clock));
            if (!result.BodyFound) output.WriteLine("no body found (nothing above the body threshold): the label map is empty");
            WriteLabels(target, result);
            output.WriteLine($"wrote {target}: {result.Labels.Labels.Count} labels");
            foreach (var label in result.Labels.Labels) output.WriteLine($"  {label.Value,4}  {label.Name}");
            // The result's params as the server would answer them (label_names first: which value is which structure),
            // so `ctseg eval` and scripts can read a NIfTI result without guessing.
            string paramsPath = ResultParamsPath(target);
            var json = new JsonObject { ["label_names"] = LabelNames(result.Labels.Labels) };
            foreach (var (key, value) in CtResultParams.Build(version, result, options)) json[key] = value?.DeepClone();
            AtomicFile.Write(paramsPath, stream => JsonSerializer.Serialize(stream, json, new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {paramsPath}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"done in {clock.Elapsed.TotalSeconds:F1} s (pre {result.Latencies.Pre:F1}, infer {result.Latencies.Infer:F1}, post {result.Latencies.Post:F1})"));
            return 0;
        }
        catch (ModelFormatException e)
        {
            throw new VolumeFormatException(e.Path, e.Field, e.Problem, e);
        }
        catch (InferParameterException e)
        {
            throw new UsageException($"--{e.Key.Replace('_', '-')}: {e.Problem}");
        }
    }

    /// <summary>"out/case.nii.gz" → "out/case.json": where a result's params are written, and where `ctseg eval` looks.</summary>
    public static string ResultParamsPath(string labelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(labelPath))!, VolumeFile.Stem(labelPath) + ".json");

    private static JsonObject LabelNames(IEnumerable<Inference.Instances.LabelEntry> labels)
    {
        var names = new JsonObject();
        foreach (var l in labels) names[l.Name] = l.Value;
        return names;
    }

    private static ModelLease FromStore(string modelsDir, string name, ComputeDevice device)
    {
        var known = CtSegmentationApp.Models.FirstOrDefault(m => m.Name == name);
        using var store = new ModelStore(modelsDir, device);
        var current = store.Current(name)
            ?? throw new FileNotFoundException(ModelInstructions.NoCheckpoint(name, known.Architecture ?? SwinUnetrV2Architecture.ArchName, store.FolderOf(name)));
        if (known.Architecture is { } arch && current.Metadata.Architecture.Name != arch)
            throw new ModelFormatException(current.Path, "architecture", $"is {current.Metadata.Architecture.Name}, but the model '{name}' runs {arch} checkpoints");
        // One run, one network: loaded for this command alone rather than through the store's shared cache.
        return LoadedModel.LoadExclusive(current, device);
    }

    /// <summary>The map in the smallest unsigned type that holds its values; a .seg.nrrd names and colours its segments.</summary>
    private static void WriteLabels(string path, PipelineResult result)
    {
        Volume map = result.Labels.Labels.Count <= byte.MaxValue ? result.Labels.Map.ConvertTo<byte>() : result.Labels.Map;
        if (path.EndsWith(".seg.nrrd", StringComparison.OrdinalIgnoreCase))
        {
            var segments = result.Labels.Labels.Select(l => new SegmentInfo($"Segment_{l.Value}", l.Name, l.Color, l.Value)).ToList();
            NrrdFile.WriteSegmentation(path, new Segmentation(map, segments));
        }
        else VolumeFile.Write(path, map);
    }

    /// <summary>Progress as plain lines, written on the pipeline's own thread (in order, unlike Progress&lt;T&gt;).</summary>
    private sealed class LineProgress(TextWriter output, Stopwatch clock) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value)
        {
            string at = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture).PadLeft(6);
            output.WriteLine(value.Stage == SegmentationPipeline.StageInfer
                ? $"[{at} s] {value.Stage}: window {value.WindowsDone}/{value.WindowsTotal}"
                : $"[{at} s] {value.Stage}");
        }
    }
}
