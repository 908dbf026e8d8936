using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>NRRD (.nrrd, .nhdr) and 3D Slicer .seg.nrrd. CONTRACT FOR THE HELPER — replace bodies.</summary>
public static class NrrdFile
{
    public static Volume Read(string path, ReadOptions? options = null) => throw new NotImplementedException();
    public static void Write(string path, Volume volume, WriteOptions? options = null) => throw new NotImplementedException();
    public static Segmentation ReadSegmentation(string path, ReadOptions? options = null) => throw new NotImplementedException();
    public static void WriteSegmentation(string path, Segmentation segmentation, WriteOptions? options = null) => throw new NotImplementedException();
}
