using System.Globalization;
using System.Text.Json;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Metrics;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg eval --pred DIR --gt DIR [--json OUT]`: thesis §3.8 metrics over label maps of the same file
/// name in both folders, in the ground-truth class table's values.</summary>
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

        var names = Directory.EnumerateFiles(gtDir).Select(Path.GetFileName).OfType<string>()
            .Where(n => VolumeFile.IsVolumePath(n) && File.Exists(Path.Combine(predDir, n))).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) throw new UsageException($"no label map in {gtDir} has a file of the same name in {predDir}");

        var cases = new List<(string Name, LabelMapScores Scores)>();
        foreach (var name in names)
        {
            string predPath = Path.Combine(predDir, name), gtPath = Path.Combine(gtDir, name);
            var truth = VolumeFile.Read(gtPath);
            var predicted = VolumeFile.Read(predPath);
            if (predicted.Shape != truth.Shape)
                throw new VolumeFormatException(predPath, "shape", $"{predicted.Shape} differs from the ground truth's {truth.Shape}");
            cases.Add((name, LabelMapEvaluation.Evaluate(predicted.ConvertTo<int>().Data, truth.ConvertTo<int>().Data)));
        }

        PrintTable(cases, output);
        if (jsonPath is not null)
        {
            AtomicFile.Write(jsonPath, stream => WriteJson(cases, stream));
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
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
