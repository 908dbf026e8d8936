using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests;

/// <summary>
/// Small CT-like volumes written as real NIfTI files: air (−1000 HU) around an elliptic body of soft
/// tissue (40 HU) that holds a lung (−800 HU) and a bone bar (700 HU), and the label map the test
/// app's default thresholds must reproduce exactly (1 = bone, 2 = lung).
/// </summary>
public static class TestVolumes
{
    public static readonly Shape3 DefaultShape = new(24, 20, 6);

    public static Volume<short> Ct(Shape3? shape = null)
    {
        var s = shape ?? DefaultShape;
        var ct = new Volume<short>(new ImageGeometry(s, new Vec3(1.5, 1.5, 3), new Vec3(-10, 20, 5), Mat3.Identity));
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                    ct[i, j, k] = Expected(i, j, s) switch
                    {
                        1 => 700,
                        2 => -800,
                        _ => InBody(i, j, s) ? (short)40 : (short)-1000,
                    };
        return ct;
    }

    /// <summary>The label map of <see cref="Ct"/>: what the threshold model must output.</summary>
    public static Volume<byte> Labels(Shape3? shape = null)
    {
        var s = shape ?? DefaultShape;
        var labels = new Volume<byte>(Ct(s).Geometry);
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                    labels[i, j, k] = Expected(i, j, s);
        return labels;
    }

    public static string WriteCt(string folder, string name = "ct.nii.gz", Shape3? shape = null)
    {
        string path = Path.Combine(folder, name);
        NiftiFile.Write(path, Ct(shape));
        return path;
    }

    public static string WriteLabels(string folder, string name = "label.nii.gz", Shape3? shape = null)
    {
        string path = Path.Combine(folder, name);
        VolumeFile.Write(path, Labels(shape));
        return path;
    }

    private static bool InBody(int i, int j, Shape3 s)
    {
        double x = (i - (s.X - 1) / 2.0) / (s.X * 0.42), y = (j - (s.Y - 1) / 2.0) / (s.Y * 0.42);
        return x * x + y * y <= 1;
    }

    private static byte Expected(int i, int j, Shape3 s)
    {
        if (!InBody(i, j, s)) return 0;
        int cx = s.X / 2, cy = s.Y / 2;
        if (j == cy && Math.Abs(i - cx) <= s.X / 5) return 1;              // a bone bar across the middle
        if (i >= cx - s.X / 4 && i < cx - 1 && j > cy && j <= cy + s.Y / 5) return 2; // lung below it, enclosed by tissue
        return 0;
    }
}
