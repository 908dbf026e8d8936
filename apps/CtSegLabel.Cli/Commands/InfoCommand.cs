using System.Globalization;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg info FILE`: what a volume file holds, in the terms Slicer and ITK users check first.</summary>
public sealed class InfoCommand : ICommand
{
    public string Name => "info";
    public string Usage => "ctseg info FILE            datatype, shape, spacing, origin, direction, orientation, value range, segments";

    public int Run(Arguments args, TextWriter output)
    {
        args.RejectUnknown();
        if (args.Positional.Count != 1) throw new UsageException("give exactly one FILE");
        string path = args.Positional[0];
        if (!File.Exists(path)) throw new FileNotFoundException($"no such file: {path}");

        Segmentation? segmentation = VolumeFile.FormatOf(path) == VolumeFormat.SegNrrd ? NrrdFile.ReadSegmentation(path) : null;
        var volume = segmentation?.Labels ?? VolumeFile.Read(path);
        var g = volume.Geometry;
        var (min, max) = volume.ValueRange();
        string F(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

        output.WriteLine($"file:        {path}");
        output.WriteLine($"format:      {VolumeFile.FormatOf(path)}");
        output.WriteLine($"datatype:    {volume.VoxelType.ToString().ToLowerInvariant()}");
        output.WriteLine($"shape:       {g.Shape.X} {g.Shape.Y} {g.Shape.Z}");
        output.WriteLine($"spacing:     {F(g.Spacing.X)} {F(g.Spacing.Y)} {F(g.Spacing.Z)} mm");
        output.WriteLine($"origin:      {F(g.Origin.X)} {F(g.Origin.Y)} {F(g.Origin.Z)} (LPS mm)");
        for (int c = 0; c < 3; c++)
        {
            var d = g.Direction.Column(c);
            output.WriteLine($"direction {"ijk"[c]}: {F(d.X)} {F(d.Y)} {F(d.Z)}");
        }
        output.WriteLine($"orientation: {g.OrientationCode}");
        output.WriteLine($"range:       {F(min)} … {F(max)}");
        if (segmentation is not null)
        {
            output.WriteLine($"segments:    {segmentation.Segments.Count}");
            foreach (var s in segmentation.Segments)
                output.WriteLine($"  {s.LabelValue,5}  {s.Name}  (id {s.Id}, layer {s.Layer}, colour {s.Color.R},{s.Color.G},{s.Color.B})");
        }
        return 0;
    }
}
