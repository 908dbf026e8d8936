using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>NIfTI-1 (.nii, .nii.gz) reading and writing. CONTRACT FOR THE HELPER — replace bodies.</summary>
public static class NiftiFile
{
    public static Volume Read(string path, ReadOptions? options = null) => throw new NotImplementedException();
    public static void Write(string path, Volume volume, WriteOptions? options = null) => throw new NotImplementedException();
}
