using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg convert IN OUT`: any supported format to any other, chosen by extension. Voxel type and
/// geometry are kept exactly; a .seg.nrrd keeps its segment names and colours when it is the source.</summary>
public sealed class ConvertCommand : ICommand
{
    public string Name => "convert";
    public string Usage => "ctseg convert IN OUT [--compression 0-9]   .nii/.nii.gz/.nrrd/.nhdr/.seg.nrrd, by extension";

    public int Run(Arguments args, TextWriter output)
    {
        var options = new WriteOptions { CompressionLevel = args.Int("compression", WriteOptions.Default.CompressionLevel, 0, 9) };
        args.RejectUnknown();
        if (args.Positional.Count != 2) throw new UsageException("give IN and OUT");
        var (input, target) = (args.Positional[0], args.Positional[1]);
        if (!File.Exists(input)) throw new FileNotFoundException($"no such file: {input}");
        var targetFormat = VolumeFile.FormatOf(target); // an unknown output extension fails before any reading

        if (VolumeFile.FormatOf(input) == VolumeFormat.SegNrrd && targetFormat == VolumeFormat.SegNrrd)
            NrrdFile.WriteSegmentation(target, NrrdFile.ReadSegmentation(input), options);
        else
            VolumeFile.Write(target, VolumeFile.Read(input), options);

        output.WriteLine($"wrote {target}");
        return 0;
    }
}
