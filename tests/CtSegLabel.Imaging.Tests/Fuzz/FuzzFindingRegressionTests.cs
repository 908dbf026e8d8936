using System.IO.Pipes;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Fuzz;

/// <summary>The bugs the fuzzer found in the volume readers, each replayed from its saved input with the
/// readers' DEFAULT limits (the fuzzer runs with tighter ones).</summary>
public class FuzzFindingRegressionTests
{
    private static string Copy(TestDir dir, string target, string name, string fileName)
    {
        string path = dir.File(fileName);
        File.Copy(Path.Combine(FixedCorpus.Folder(target), name), path);
        return path;
    }

    /// <summary>An 80-byte .nrrd declaring 2048×2048 int raw voxels: refused as truncated from the file
    /// length, before the 16 MB volume is allocated.</summary>
    [Fact]
    public void RawNrrdDeclaringMoreThanTheFileHoldsIsRefusedBeforeAllocating()
    {
        using var dir = new TestDir();
        string path = Copy(dir, "nrrd", "finding-raw-header-declares-more-than-file.bin", "tiny.nrrd");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<VolumeFormatException>(() => NrrdFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("data", e.Field);
        Assert.Contains("truncated", e.Problem);
        Assert.True(allocated < 2 << 20, $"allocated {allocated} bytes for an 80-byte file");
    }

    /// <summary>A 2×2×2 segmentation whose one segment has label value 4194303: read through the sparse
    /// lookup (no 16 MB table), the voxel keeps its value.</summary>
    [Fact]
    public void SegmentationWithHugeLabelValueReadsWithoutHugeTable()
    {
        using var dir = new TestDir();
        string path = Copy(dir, "seg", "finding-label-value-far-above-voxel-count.bin", "far.seg.nrrd");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var segmentation = NrrdFile.ReadSegmentation(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 2 << 20, $"allocated {allocated} bytes for a 204-byte file");
        var segment = Assert.Single(segmentation.Segments);
        Assert.Equal(4194303, segment.LabelValue);
        var labels = Assert.IsType<Volume<uint>>(segmentation.Labels);
        Assert.Equal(4194303u, labels[1, 1, 0]);
        Assert.Equal(4194303.0, labels.Data.Sum(v => (double)v));
    }

    /// <summary>A detached header whose data file is a pipe: a typed error naming the data file, not
    /// NotSupportedException from seeking. (The pipe is reached through /proc/self/fd, Linux only.)</summary>
    [Fact]
    public void DetachedDataFileThatIsAPipeIsATypedError()
    {
        if (!OperatingSystem.IsLinux()) return; // CI and the servers run Linux; other systems lack /proc/self/fd
        using var dir = new TestDir();
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        string pipePath = $"/proc/self/fd/{pipe.ClientSafePipeHandle.DangerousGetHandle()}";
        pipe.Write(new byte[8]);
        string header = dir.File("piped.nhdr");
        File.WriteAllText(header, $"NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: raw\ndata file: {pipePath}\n");
        var e = Assert.Throws<VolumeFormatException>(() => NrrdFile.Read(header));
        Assert.Equal("data file", e.Field);
    }

    /// <summary>A detached header whose data file name holds a NUL (saved as the fuzzer's detached
    /// layout: 4-byte header length, then the header): a typed error, not ArgumentException from the
    /// path functions.</summary>
    [Fact]
    public void DataFileNameWithNulIsATypedError()
    {
        using var dir = new TestDir();
        byte[] saved = File.ReadAllBytes(Path.Combine(FixedCorpus.Folder("nrrd"), "finding-nul-in-data-file-name.bin"));
        string header = dir.File("nul.nhdr");
        File.WriteAllBytes(header, saved[4..]);
        var e = Assert.Throws<VolumeFormatException>(() => NrrdFile.Read(header));
        Assert.Equal("data file", e.Field);
    }
}
