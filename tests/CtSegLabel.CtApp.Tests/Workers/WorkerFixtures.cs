using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.TestApp;

namespace CtSegLabel.CtApp.Tests.Workers;

/// <summary>The real CT and threshold label maps of it, as the worker tests' datastore holds them.</summary>
internal static class WorkerFixtures
{
    public static string TestAppDll => typeof(ThresholdApp).Assembly.Location;

    /// <summary>The real CT's bone/lung map at the given thresholds, written as a NIfTI label file.</summary>
    public static string ThresholdLabel(string path, double boneMinHu, double lungMaxHu)
    {
        var labels = ThresholdSegmenter.Segment(VolumeFile.Read(TestPaths.ExampleCt),
            new ThresholdParameters(BoneMinHu: boneMinHu, LungMaxHu: lungMaxHu));
        VolumeFile.Write(path, labels);
        return path;
    }

    /// <summary>The real CT with a final label (bone from 200 HU, not the model's 300) and the model's own map as original.</summary>
    public static MemoryDatastore LabeledCt(TestDir dir) => new MemoryDatastore().Add("ct", TestPaths.ExampleCt,
        (IDatastoreView.FinalTag, ThresholdLabel(dir.File("final.nii.gz"), 200, -500)),
        (IDatastoreView.OriginalTag, ThresholdLabel(dir.File("original.nii.gz"), 300, -500)));
}
