using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Training.Export;

namespace CtSegLabel.Training.Tests;

public class NpzArchiveTests
{
    [Fact]
    public void Arrays_are_npy_files_in_a_zip_with_aligned_headers_and_slices_first()
    {
        var geometry = new ImageGeometry(new Shape3(3, 2, 5), new Vec3(1, 1, 1));
        var labels = new Volume<byte>(geometry);
        for (int n = 0; n < labels.Data.Length; n++) labels.Data[n] = (byte)n;
        var image = new Volume<float>(geometry);
        for (int n = 0; n < image.Data.Length; n++) image.Data[n] = n * 0.25f;
        string path = Path.Combine(Path.GetTempPath(), $"npz-{Guid.NewGuid():N}.npz");
        try
        {
            NpzArchive.Write(path, npz =>
            {
                npz.Add("semantic", labels);
                npz.Add("image", image, asHalf: true);
                npz.Add("flags", [true, false, true]);
            });
            using var zip = ZipFile.OpenRead(path);
            Assert.Equal(["semantic.npy", "image.npy", "flags.npy"], zip.Entries.Select(e => e.FullName));

            var (header, data) = ReadNpy(zip.GetEntry("semantic.npy")!);
            Assert.Contains("'descr': '|u1'", header);
            Assert.Contains("'shape': (5, 2, 3)", header); // (slices, rows, columns)
            Assert.Equal(labels.Data, data);

            (header, data) = ReadNpy(zip.GetEntry("image.npy")!);
            Assert.Contains("'descr': '<f2'", header);
            var halves = MemoryMarshal.Cast<byte, Half>(data).ToArray();
            Assert.Equal(image.Data, halves.Select(h => (float)h)); // multiples of 0.25 below 8 are exact in float16

            (header, data) = ReadNpy(zip.GetEntry("flags.npy")!);
            Assert.Contains("'shape': (3,)", header);
            Assert.Equal(new byte[] { 1, 0, 1 }, data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Quantized_images_round_trip_within_half_a_step_and_clamp_outside_the_range()
    {
        var image = new Volume<float>(new ImageGeometry(new Shape3(4, 1, 1), new Vec3(1, 1, 1)));
        image.Data[0] = -5f; image.Data[1] = 0.123f; image.Data[2] = 0.9f; image.Data[3] = 7f;
        string path = Path.Combine(Path.GetTempPath(), $"npz-{Guid.NewGuid():N}.npz");
        try
        {
            NpzArchive.Write(path, npz => npz.AddQuantized("image", image, -0.2f, 1.2f));
            using var zip = ZipFile.OpenRead(path);
            var (_, levels) = ReadNpy(zip.GetEntry("image.npy")!);
            var (_, rangeBytes) = ReadNpy(zip.GetEntry("image_range.npy")!);
            var range = MemoryMarshal.Cast<byte, float>(rangeBytes).ToArray();
            Assert.Equal([-0.2f, 1.2f], range);
            float step = (range[1] - range[0]) / 255;
            var back = levels.Select(l => range[0] + l * step).ToArray();
            Assert.Equal(0, levels[0]);
            Assert.Equal(255, levels[3]);
            Assert.InRange(Math.Abs(back[1] - 0.123f), 0, step / 2 + 1e-6);
            Assert.InRange(Math.Abs(back[2] - 0.9f), 0, step / 2 + 1e-6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reads an .npy as NumPy does: magic, version 1.0, header length, header, data at a 64-byte boundary.</summary>
    private static (string Header, byte[] Data) ReadNpy(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal(1, bytes[6]);
        int length = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + length) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.EndsWith("\n", header);
        return (header, bytes[(10 + length)..]);
    }
}
