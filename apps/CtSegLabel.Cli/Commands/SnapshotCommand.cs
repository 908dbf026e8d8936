using System.Globalization;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Rendering;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg snapshot`: one slice of a CT, windowed, with label colours blended over it, as a PNG.</summary>
public sealed class SnapshotCommand : ICommand
{
    public string Name => "snapshot";

    public string Usage => "ctseg snapshot --image CT [--label LBL] --out PNG [--view axial|coronal|sagittal] [--slice N] [--window W,L] [--opacity A] [--classes JSON]"
        + "\n      a PNG of one slice (radiological orientation; default: middle slice, W400/L40, classes of the ground-truth table)";

    public int Run(Arguments args, TextWriter output)
    {
        string imagePath = args.Required("image");
        string? labelPath = args.Option("label");
        string outPath = args.Required("out");
        var view = (args.Option("view") ?? "axial").ToLowerInvariant() switch
        {
            "axial" => SliceView.Axial,
            "coronal" => SliceView.Coronal,
            "sagittal" => SliceView.Sagittal,
            var v => throw new UsageException($"option --view: '{v}' is not axial, coronal or sagittal"),
        };
        var style = RenderStyle.Default;
        if (args.Has("window"))
        {
            var wl = args.Doubles("window", 2);
            if (!(wl[0] > 0)) throw new UsageException("option --window: the width must be positive");
            style = style with { WindowWidth = wl[0], WindowLevel = wl[1] };
        }
        if (args.Option("opacity") is { } a)
        {
            if (!double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double opacity) || opacity < 0 || opacity > 1)
                throw new UsageException($"option --opacity: '{a}' is not a number in [0, 1]");
            style = style with { LabelOpacity = opacity };
        }
        string? classesPath = args.Option("classes");
        int? slice = args.Has("slice") ? args.Int("slice", 0, 0, int.MaxValue) : null;
        args.RejectUnknown();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");

        foreach (var path in new[] { imagePath, labelPath, classesPath })
            if (path is not null && !File.Exists(path)) throw new FileNotFoundException($"no such file: {path}");
        var classes = classesPath is null ? CtClassTable.GroundTruth : ClassTableJson.Read(classesPath);
        var ct = VolumeFile.Read(imagePath);
        var labels = labelPath is null ? null : VolumeFile.Read(labelPath);
        if (labels is not null && !labels.Geometry.SameGrid(ct.Geometry, 1e-3))
            throw new VolumeFormatException(labelPath!, "geometry", $"the label grid ({labels.Geometry}) differs from the image's ({ct.Geometry})");
        int axis = SliceRenderer.AxisOf(view, ct.Geometry);
        int count = ct.Shape[axis];
        int index = slice ?? count / 2;
        if (index >= count) throw new UsageException($"option --slice: {index} is beyond the last {view.ToString().ToLowerInvariant()} slice ({count - 1})");

        var image = SliceRenderer.Render(ct, labels, view, index, classes, style);
        PngEncoder.Write(outPath, image);
        output.WriteLine($"{outPath}: {view.ToString().ToLowerInvariant()} slice {index} of {count}, {image.Width}×{image.Height} pixels");
        return 0;
    }
}
