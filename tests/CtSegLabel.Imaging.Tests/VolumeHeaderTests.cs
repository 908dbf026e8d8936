using System.Diagnostics;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NrrdTestFiles;

namespace CtSegLabel.Imaging.Tests;

/// <summary><see cref="VolumeFile.ReadHeader"/>: what a full read would say about a file's header, at the cost of the
/// header alone — and a detached data file that is a FIFO is refused before anything opens it (opening one blocks).</summary>
public class VolumeHeaderTests
{
    [Fact]
    public void The_real_ct_header_says_what_a_full_read_finds()
    {
        var header = VolumeFile.ReadHeader(TestPaths.ExampleCt);
        var volume = VolumeFile.Read(TestPaths.ExampleCt);
        Assert.Equal(VolumeFormat.Nifti, header.Format);
        Assert.Equal(volume.Shape, header.Shape);
        Assert.Equal(volume.VoxelType, header.VoxelType);
        Assert.Equal(volume.Shape.VoxelCount * volume.VoxelType.Size(), header.DataBytes);
        NrrdTestFiles.AssertSameCorners(volume.Geometry, header.Geometry);

        using var dir = new TestDir();
        string nrrd = dir.File("ct.nrrd");
        NrrdFile.Write(nrrd, volume);
        var fromNrrd = VolumeFile.ReadHeader(nrrd);
        Assert.Equal(VolumeFormat.Nrrd, fromNrrd.Format);
        Assert.Equal(volume.Shape, fromNrrd.Shape);
        NrrdTestFiles.AssertSameCorners(volume.Geometry, fromNrrd.Geometry);
    }

    [Fact]
    public void A_plain_nrrd_with_segment_fields_but_no_layers_is_accepted_by_the_header_check_as_by_the_read()
    {
        // A plain .nrrd reads the Segment fields only when it has layers to merge: a bad one on a 3-D volume does not
        // stop the read, so it must not stop the header check either (the server checks uploads with the header).
        using var dir = new TestDir();
        string path = dir.File("labels.nrrd");
        var volume = new Volume<byte>(new ImageGeometry(new Shape3(4, 4, 2), new Vec3(1, 1, 2)));
        NrrdFile.WriteImage(path, new NrrdImage(volume, [new("Segment0_ID", "s"), new("Segment0_LabelValue", "not a number")]));

        Assert.Equal(volume.Shape, VolumeFile.Read(path).Shape);
        Assert.Equal(volume.Shape, VolumeFile.ReadHeader(path).Shape);
    }

    [Fact]
    public void A_header_over_the_limits_is_refused_naming_the_field()
    {
        using var dir = new TestDir();
        var volume = new Volume<short>(new ImageGeometry(new Shape3(16, 16, 8), new Vec3(1, 1, 2)));
        string nifti = dir.File("v.nii.gz"), nrrd = dir.File("v.nrrd"), raw = dir.File("v.nii");
        VolumeFile.Write(nifti, volume);
        VolumeFile.Write(nrrd, volume);
        VolumeFile.Write(raw, volume);
        var fewVoxels = new ReadOptions { MaxVoxels = 1000 };
        Assert.Equal("dim", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(nifti, fewVoxels)).Field);
        Assert.Equal("sizes", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(nrrd, fewVoxels)).Field);
        var fewBytes = new ReadOptions { MaxDecompressedBytes = 2048 };
        Assert.Equal("dim", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(nifti, fewBytes)).Field);
        Assert.Equal("sizes", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(nrrd, fewBytes)).Field);

        // An uncompressed file shorter than its header declares is refused too (its length is known without reading).
        byte[] bytes = File.ReadAllBytes(raw);
        File.WriteAllBytes(raw, bytes[..(bytes.Length / 2)]);
        Assert.Equal("voxel data", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(raw)).Field);
    }

    [Fact]
    public void Not_a_volume_or_an_unknown_format_is_refused()
    {
        using var dir = new TestDir();
        string garbage = dir.File("photo.nii.gz");
        File.WriteAllBytes(garbage, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]);
        Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(garbage));
        string text = dir.File("notes.nrrd");
        File.WriteAllText(text, "hello\n");
        Assert.Equal("magic", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(text)).Field);
        string other = dir.File("scan.mha");
        File.WriteAllText(other, "ObjectType = Image\n");
        Assert.Equal("file name", Assert.Throws<VolumeFormatException>(() => VolumeFile.ReadHeader(other)).Field);
    }

    [Fact]
    public void Only_the_header_is_read_broken_voxel_data_are_left_to_the_full_read()
    {
        using var dir = new TestDir();
        string path = dir.File("cut.nii.gz");
        VolumeFile.Write(path, NrrdTestFiles.RandomVolume(VoxelType.Int16, new ImageGeometry(new Shape3(32, 32, 8), new Vec3(1, 1, 2)), seed: 3));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // the gzip stream stops half way through the voxels

        Assert.Equal(new Shape3(32, 32, 8), VolumeFile.ReadHeader(path).Shape);
        Assert.Throws<VolumeFormatException>(() => VolumeFile.Read(path));
    }

    [Fact]
    public async Task A_detached_data_file_that_is_a_fifo_is_refused_without_blocking()
    {
        if (OperatingSystem.IsWindows()) return; // no FIFOs in the Windows file namespace
        using var dir = new TestDir();
        string fifo = dir.File("voxels.raw");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        string header = Text(dir, "pipe.nhdr",
            "NRRD0004\ntype: short\ndimension: 3\nsizes: 3 2 2\nencoding: raw\nspace directions: (1,0,0) (0,1,0) (0,0,2)\ndata file: voxels.raw\n");

        foreach (var read in (Func<object>[])[() => NrrdFile.Read(header), () => VolumeFile.ReadHeader(header)])
        {
            var attempt = Task.Run(read);
            if (await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(20))) != attempt)
            {
                // A regression blocks in open(2): a writer releases it, and the test fails instead of hanging.
                using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
                Assert.Fail("reading a header whose data file is a FIFO blocked");
            }
            var e = Assert.IsType<VolumeFormatException>(attempt.Exception?.InnerException);
            Assert.Equal("data file", e.Field);
            Assert.Contains("not a regular file", e.Message);
            Assert.Contains("pipe.nhdr", e.Message);
        }
    }
}
