using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>Writes phantoms as a MONAI Label studies folder: DIR/&lt;id&gt;.nii.gz, optionally their exact
/// labels as DIR/labels/final/&lt;id&gt;.nii.gz, and DIR/classes.json naming every label value. Shared by
/// `ctseg phantom` and the server's seeding of an empty studies folder.</summary>
public static class PhantomStudies
{
    /// <summary>Generates and writes phantoms <paramref name="first"/>…<paramref name="first"/>+count−1 of
    /// <paramref name="seed"/>, yielding each once its files are on disk (so callers can report progress).</summary>
    public static IEnumerable<Phantom> Write(string dir, long seed, int count, PhantomOptions options, bool withLabels = true, int first = 0)
    {
        string labelsDir = Path.Combine(dir, "labels", "final");
        Directory.CreateDirectory(withLabels ? labelsDir : dir);
        ClassTableJson.Write(Path.Combine(dir, "classes.json"), CtClassTable.GroundTruth);
        for (int index = first; index < first + count; index++)
        {
            var phantom = PhantomGenerator.Generate(seed, index, options);
            // The label first: a reader that sees the image (the server's folder watcher) then finds its label too.
            if (withLabels) VolumeFile.Write(Path.Combine(labelsDir, phantom.Id + ".nii.gz"), phantom.Labels);
            VolumeFile.Write(Path.Combine(dir, phantom.Id + ".nii.gz"), phantom.Ct);
            yield return phantom;
        }
    }
}
