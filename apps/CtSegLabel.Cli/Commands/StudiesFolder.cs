using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Cli.Commands;

/// <summary>A studies folder in MONAI Label's layout, as the commands that read labeled images walk it: images at its
/// root, labels under labels/&lt;tag&gt;/ with the image's file name.</summary>
internal static class StudiesFolder
{
    /// <summary>Every label file of <paramref name="labelDir"/> with its image, in ordinal order; a label without an
    /// image of its name is reported on <paramref name="output"/> and skipped.</summary>
    public static IEnumerable<(string Name, string ImagePath, string LabelPath)> LabeledImages(string studies, string labelDir, TextWriter output)
    {
        foreach (string labelPath in Directory.EnumerateFiles(labelDir).Where(VolumeFile.IsVolumePath).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(labelPath);
            string imagePath = Path.Combine(studies, name);
            if (!File.Exists(imagePath)) { output.WriteLine($"skipped {name}: no image of that name"); continue; }
            yield return (name, imagePath, labelPath);
        }
    }
}
