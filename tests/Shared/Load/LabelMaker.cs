using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// Label maps as an annotator submits them: on the image's own grid (the server refuses any other) with a few
/// boxes of classes 1–3 placed by the submission's number, so that no two submissions have the same bytes and a
/// stale file is told apart from the latest by its checksum.
/// </summary>
public static class LabelMaker
{
    public static byte[] Make(ImageGeometry grid, long sequence, string path)
    {
        var label = new Volume<byte>(grid);
        var random = new Random(unchecked((int)sequence));
        var s = grid.Shape;
        for (int box = 0; box < 3; box++)
        {
            int x0 = random.Next(s.X), y0 = random.Next(s.Y), z0 = random.Next(s.Z);
            int x1 = Math.Min(s.X, x0 + 1 + random.Next(s.X / 3 + 1)), y1 = Math.Min(s.Y, y0 + 1 + random.Next(s.Y / 3 + 1));
            int z1 = Math.Min(s.Z, z0 + 1 + random.Next(s.Z / 3 + 1));
            for (int k = z0; k < z1; k++)
                for (int j = y0; j < y1; j++)
                    for (int i = x0; i < x1; i++)
                        label[i, j, k] = (byte)(box + 1);
        }
        NiftiFile.Write(path, label);
        return File.ReadAllBytes(path);
    }
}
