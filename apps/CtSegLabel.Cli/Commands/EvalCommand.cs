using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Metrics;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg eval --pred DIR --gt DIR [--json OUT]`: thesis §3.8 metrics over label maps of the same file
/// name in both folders. Ground truth is in the class table's values; predictions too, unless they name their values
/// (a .seg.nrrd, or the .json `ctseg infer` writes beside its result).</summary>
public sealed class EvalCommand : ICommand
{
    public string Name => "eval";
    public string Usage => "ctseg eval --pred DIR --gt DIR [--json OUT]   Dice per class and panoptic quality per rib/vertebra group";

    public int Run(Arguments args, TextWriter output)
    {
        string predDir = args.Required("pred");
        string gtDir = args.Required("gt");
        string? jsonPath = args.Option("json");
        args.RejectUnknown();
        if (args.Positional.Count != 0) throw new UsageException("no positional arguments");
        if (!Directory.Exists(predDir)) throw new DirectoryNotFoundException($"no such folder: {predDir}");
        if (!Directory.Exists(gtDir)) throw new DirectoryNotFoundException($"no such folder: {gtDir}");

        // Cases pair by name without the extension, so a .seg.nrrd result is scored against .nii.gz ground truth.
        var predictions = Directory.EnumerateFiles(predDir).Where(VolumeFile.IsVolumePath)
            .GroupBy(VolumeFile.Stem).ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).First());
        var pairs = Directory.EnumerateFiles(gtDir).Where(VolumeFile.IsVolumePath).Order(StringComparer.Ordinal)
            .Where(gt => predictions.ContainsKey(VolumeFile.Stem(gt)))
            .Select(gt => (Name: Path.GetFileName(gt), Gt: gt, Pred: predictions[VolumeFile.Stem(gt)])).ToList();
        if (pairs.Count == 0) throw new UsageException($"no label map in {gtDir} has a label map of the same name in {predDir}");

        var cases = new List<(string Name, LabelMapScores Scores)>();
        foreach (var (name, gtPath, predPath) in pairs)
        {
            var truth = VolumeFile.Read(gtPath);
            var predicted = VolumeFile.Read(predPath);
            if (predicted.Shape != truth.Shape)
                throw new VolumeFormatException(predPath, "shape", $"{predicted.Shape} differs from the ground truth's {truth.Shape}");
            cases.Add((name, LabelMapEvaluation.Evaluate(predicted.ConvertTo<int>().Data, truth.ConvertTo<int>().Data, PredictedNames(predPath))));
        }

        PrintTable(cases, output);
        if (jsonPath is not null)
        {
            AtomicFile.Write(jsonPath, stream => WriteJson(cases, stream));
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }

    /// <summary>The prediction's value → name table when it has one: the segments of a .seg.nrrd, or the label_names of
    /// the result params `ctseg infer` writes beside a NIfTI/NRRD result. Without one, values are read as the class
    /// table's (as ground truth is numbered).</summary>
    private static Dictionary<int, string>? PredictedNames(string predPath)
    {
        if (VolumeFile.FormatOf(predPath) == VolumeFormat.SegNrrd)
            return NrrdFile.ReadSegmentation(predPath).Segments.ToDictionary(s => s.LabelValue, s => s.Name);
        string paramsPath = InferCommand.ResultParamsPath(predPath);
        if (!File.Exists(paramsPath)) return null;
        try
        {
            var names = JsonNode.Parse(File.ReadAllText(paramsPath))?["label_names"] as JsonObject
                        ?? throw new VolumeFormatException(paramsPath, "label_names", "is missing or not an object");
            return names.ToDictionary(p => p.Value!.GetValue<int>(), p => p.Key);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new VolumeFormatException(paramsPath, "label_names", $"cannot be read ({e.Message})");
        }
    }

    private static string F(double v) => double.IsNaN(v) ? "  -  " : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static void PrintTable(List<(string Name, LabelMapScores Scores)> cases, TextWriter output)
    {
        var groups = LabelMapEvaluation.Groups;
        output.WriteLine($"{"case",-28} {"dice",6} " + string.Join(" ", groups.Select(g => $"{"PQ " + Short(g),9}")));
        foreach (var (name, s) in cases)
            output.WriteLine($"{name,-28} {F(s.Dice.Mean),6} " + string.Join(" ", groups.Select(g => $"{F(s.Panoptic[g].Quality),9}")));
        output.WriteLine($"{"mean",-28} {F(MeanOf(cases.Select(c => c.Scores.Dice.Mean))),6} " +
            string.Join(" ", groups.Select(g => $"{F(MeanOf(cases.Select(c => c.Scores.Panoptic[g].Quality))),9}")));
    }

    private static string Short(InstanceGroup g) => g switch
    {
        InstanceGroup.RibLeft => "rib L",
        InstanceGroup.RibRight => "rib R",
        InstanceGroup.ThoracicVertebra => "thor",
        _ => "lumb",
    };

    /// <summary>Mean over the cases where the score is defined (a group absent from a case does not count).</summary>
    private static double MeanOf(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();

    private static void WriteJson(List<(string Name, LabelMapScores Scores)> cases, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        void Number(string name, double v) { if (double.IsNaN(v)) w.WriteNull(name); else w.WriteNumber(name, v); }
        w.WriteStartObject();
        w.WriteStartObject("mean");
        Number("dice", MeanOf(cases.Select(c => c.Scores.Dice.Mean)));
        foreach (var g in LabelMapEvaluation.Groups)
            Number("pq_" + LabelMapEvaluation.ClassName(LabelMapEvaluation.GroupKey(g)), MeanOf(cases.Select(c => c.Scores.Panoptic[g].Quality)));
        w.WriteEndObject();
        w.WriteStartArray("cases");
        foreach (var (name, s) in cases)
        {
            w.WriteStartObject();
            w.WriteString("file", name);
            Number("mean_dice", s.Dice.Mean);
            w.WriteStartObject("dice");
            foreach (var c in s.Dice.Classes) w.WriteNumber(LabelMapEvaluation.ClassName(c.Value), c.Dice);
            w.WriteEndObject();
            w.WriteStartObject("panoptic");
            foreach (var g in LabelMapEvaluation.Groups)
            {
                var p = s.Panoptic[g];
                w.WriteStartObject(LabelMapEvaluation.ClassName(LabelMapEvaluation.GroupKey(g)));
                Number("pq", p.Quality);
                Number("sq", p.SegmentationQuality);
                Number("rq", p.RecognitionQuality);
                w.WriteNumber("tp", p.TruePositives);
                w.WriteNumber("fp", p.FalsePositives);
                w.WriteNumber("fn", p.FalseNegatives);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
