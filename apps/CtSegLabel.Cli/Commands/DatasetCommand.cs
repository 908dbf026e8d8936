using System.Globalization;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Training;
using CtSegLabel.Training.Export;
using CtSegLabel.Training.Labels;

namespace CtSegLabel.Cli.Commands;

/// <summary>
/// `ctseg dataset export`: every labeled image of a studies folder (MONAI Label layout: images at its root, labels
/// under labels/&lt;tag&gt;/ with the same file name) as a preprocessed training sample in NumPy's .npz — image
/// (float16, or uint8 levels with image_range, model grid), semantic (uint8 channel per voxel), instance (uint16 class value of each rib/vertebra
/// voxel), annotated (bool per channel) — for training outside ctseg (tools/reference/train_phantoms.py).
/// </summary>
public sealed class DatasetCommand : ICommand
{
    public string Name => "dataset";

    public string Usage => "ctseg dataset relabel --in LABEL --names CLASSES.tsv --out OUT   a label map of another naming (e.g. TotalSegmentator's) in CT class-table values\n" +
                           "ctseg dataset export --studies DIR --out DIR [--tag final] [--image-dtype float16|uint8]   labeled images as preprocessed training samples (.npz)";

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count == 1 && args.Positional[0] == "relabel") return Relabel(args, output);
        if (args.Positional.Count != 1 || args.Positional[0] != "export") throw new UsageException("usage: " + Usage);
        string studies = args.Required("studies");
        string outDir = args.Required("out");
        string tag = args.Option("tag") ?? "final";
        bool quantize = (args.Option("image-dtype") ?? "float16") switch
        {
            "float16" => false,
            "uint8" => true,
            var d => throw new UsageException($"option --image-dtype: '{d}' is not float16 or uint8"),
        };
        args.RejectUnknown();
        if (!Directory.Exists(studies)) throw new DirectoryNotFoundException($"no such folder: {studies}");
        string labelDir = Path.Combine(studies, "labels", tag);
        if (!Directory.Exists(labelDir)) throw new UsageException($"{studies} has no labels/{tag} folder");

        var parameters = new PreprocessingParameters();
        var channels = ChannelMap.Thesis;
        Directory.CreateDirectory(outDir);
        int written = 0;
        foreach (var (name, imagePath, labelPath) in StudiesFolder.LabeledImages(studies, labelDir, output))
        {
            var image = VolumeFile.Read(imagePath);
            var labels = VolumeFile.Read(labelPath);
            if (labels.Shape != image.Shape)
                throw new VolumeFormatException(labelPath, "shape", $"{labels.Shape} differs from the image's {image.Shape}");
            var sample = TrainingTargets.Build(image, labels, parameters, channels, TrainingTargets.AnnotatedClasses(labels));
            if (sample is null) { output.WriteLine($"skipped {name}: no body in the image"); continue; }
            string target = Path.Combine(outDir, VolumeFile.Stem(name) + ".npz");
            NpzArchive.Write(target, npz =>
            {
                // uint8 spans air (−1000 HU) to dense bone (1700 HU) in ~10.6 HU steps, well under CT noise.
                if (quantize) npz.AddQuantized("image", sample.Image, Preprocessing.Intensity(-1000, parameters), Preprocessing.Intensity(1700, parameters));
                else npz.Add("image", sample.Image, asHalf: true);
                npz.Add("semantic", sample.Semantic);
                npz.Add("instance", sample.Instances);
                npz.Add("annotated", sample.Annotated);
            });
            var s = sample.Image.Shape;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} -> {target}  {s.Z} slices × {s.Y} × {s.X}"));
            written++;
        }
        if (written == 0) throw new UsageException($"no labeled image in {studies} (labels/{tag})");
        output.WriteLine($"{written} samples in {outDir}");
        return 0;
    }

    /// <summary>`ctseg dataset relabel`: a label map whose values a class list names (value, TAB, name per line — as
    /// TotalSegmentator publishes its classes) rewritten in class-table values, the numbering `ctseg eval` and
    /// training read; names the table lacks become 0 and are listed.</summary>
    private static int Relabel(Arguments args, TextWriter output)
    {
        string input = args.Required("in");
        var names = TrainCommand.ClassNames(args.Required("names"));
        string target = args.Required("out");
        args.RejectUnknown();
        var translated = ClassTableLabels.Translate(VolumeFile.Read(input), names);
        VolumeFile.Write(target, translated.Values);
        output.WriteLine($"wrote {target}: {translated.Covered!.Count} classes of the CT table");
        if (translated.Unknown.Count > 0) output.WriteLine($"not in the table (now 0): {string.Join(", ", translated.Unknown)}");
        return 0;
    }
}
