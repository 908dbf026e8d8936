using System.Security.Cryptography;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Server.Tests.Datastore;

/// <summary>Label files on the test CT's grid that differ in their bytes (a marker value in one corner voxel), so
/// every submission of a test can be told apart by its SHA-256.</summary>
public static class LabelVariants
{
    public static string Write(string folder, int variant)
    {
        var labels = TestVolumes.Labels();
        labels[0, 0, 0] = (byte)(3 + variant % 250);
        labels[1, 0, 0] = (byte)(3 + variant / 250);
        string path = Path.Combine(folder, $"variant_{variant}_{Guid.NewGuid():N}.nii.gz");
        VolumeFile.Write(path, labels);
        return path;
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
