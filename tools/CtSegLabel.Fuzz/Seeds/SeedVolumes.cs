using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Fuzz.Seeds;

/// <summary>
/// Small volumes for seed files, written by our own writers: every voxel type on a tiny oblique grid,
/// a label map, and (when the shared example CT is there) a crop of a real CT. Files are written to a
/// temporary folder and read back as bytes, so seeds are exactly what the writers produce.
/// </summary>
public static class SeedVolumes
{
    private static readonly Shape3 TinyShape = new(5, 4, 3);

    public static IEnumerable<Volume> EveryType()
    {
        // A rotation about z with unequal spacing: the geometry code paths all run.
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        var geometry = new ImageGeometry(TinyShape, new Vec3(0.7, 0.8, 2.5), new Vec3(-120, 40.5, 7), new Mat3(c, -s, 0, s, c, 0, 0, 0, 1));
        foreach (var type in Enum.GetValues<VoxelType>())
        {
            var volume = Volume.Create(type, geometry);
            for (long n = 0; n < TinyShape.VoxelCount; n++) volume.Bytes[(int)(n * type.Size())] = (byte)(n * 7 % 100);
            yield return volume;
        }
    }

    /// <summary>A label map with three segments, the kind a .seg.nrrd holds.</summary>
    public static Volume<byte> Labels(Shape3? shape = null)
    {
        var s = shape ?? new Shape3(6, 5, 4);
        var labels = new Volume<byte>(new ImageGeometry(s, new Vec3(1, 1, 2)));
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                    labels[i, j, k] = (byte)(i < 2 ? 0 : j < 2 ? 1 : k < 2 ? 2 : 5);
        return labels;
    }

    /// <summary>A 12×12×6 crop of the shared example CT around its centre, or null when the file is absent.</summary>
    public static Volume? RealCtCrop(string? ctPath)
    {
        if (ctPath is null || !File.Exists(ctPath)) return null;
        var ct = NiftiFile.Read(ctPath).ConvertTo<short>();
        var shape = new Shape3(12, 12, 6);
        int x0 = ct.Shape.X / 2, y0 = ct.Shape.Y / 2, z0 = ct.Shape.Z / 2;
        var crop = new Volume<short>(ct.Geometry with { Shape = shape });
        for (int k = 0; k < shape.Z; k++)
            for (int j = 0; j < shape.Y; j++)
                for (int i = 0; i < shape.X; i++)
                    crop[i, j, k] = ct[Math.Min(x0 + i, ct.Shape.X - 1), Math.Min(y0 + j, ct.Shape.Y - 1), Math.Min(z0 + k, ct.Shape.Z - 1)];
        return crop;
    }

    /// <summary>Writes with <paramref name="write"/> to a temporary file named <paramref name="fileName"/>
    /// and returns the bytes (the writers take paths, and the extension picks the encoding).</summary>
    public static byte[] Bytes(string fileName, Action<string> write)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ctseg-fuzz-seed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, fileName);
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>tests/fixtures/NAME of this checkout, found upwards from the tool's folder; null outside one.</summary>
    public static string? FixturesFolder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
