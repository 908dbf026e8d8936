using System.IO.Compression;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training.Tests;

public class DatasetCommandTests
{
    [Fact]
    public void Export_writes_one_npz_per_labeled_image_and_names_a_missing_label_folder()
    {
        string root = Path.Combine(Path.GetTempPath(), $"dataset-{Guid.NewGuid():N}");
        try
        {
            string studies = Path.Combine(root, "studies"), outDir = Path.Combine(root, "npz");
            PhantomStudies.Write(studies, 3, 2, new PhantomOptions { Size = 48, Slices = 30, Spacing = new Vec3(8, 8, 4) }).ToList();

            var (code, output, error) = Ctseg("dataset", "export", "--studies", studies, "--out", outDir, "--image-dtype", "uint8");
            Assert.True(code == 0, error);
            Assert.Contains("2 samples", output);
            var files = Directory.GetFiles(outDir, "*.npz").Select(Path.GetFileName).Order().ToList();
            Assert.Equal([PhantomGenerator.IdOf(0) + ".npz", PhantomGenerator.IdOf(1) + ".npz"], files);
            using (var zip = ZipFile.OpenRead(Path.Combine(outDir, files[0]!)))
                Assert.Equal(["image.npy", "image_range.npy", "semantic.npy", "instance.npy", "annotated.npy"], zip.Entries.Select(e => e.FullName));

            (code, _, error) = Ctseg("dataset", "export", "--studies", studies, "--out", outDir, "--tag", "original");
            Assert.Equal(2, code);
            Assert.Contains("labels/original", error);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
