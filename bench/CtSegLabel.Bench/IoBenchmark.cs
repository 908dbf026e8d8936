using System.Diagnostics;
using System.Globalization;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Bench;

/// <summary>Reads and writes one .nii.gz several times and reports the median throughput in MB/s of
/// raw voxel data (the figure nibabel is compared on, see bench/io/run.sh).</summary>
public static class IoBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 1) return 2;
        string file = args[0];
        int repeats = 5;
        int[] levels = [1, 6];
        for (int n = 1; n + 1 < args.Length; n += 2)
        {
            if (args[n] == "--repeats") repeats = int.Parse(args[n + 1], CultureInfo.InvariantCulture);
            if (args[n] == "--levels") levels = args[n + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }

        var volume = NiftiFile.Read(file); // warm-up: JIT, page cache
        double rawMb = volume.Bytes.Length / 1e6;
        var reads = Time(repeats, () => NiftiFile.Read(file));
        Console.WriteLine(FormattableString.Invariant(
            $"| CtSegLabel | read .nii.gz | {volume.Shape} {volume.VoxelType} | {Median(reads):F3} s | {rawMb / Median(reads):F0} MB/s |"));

        string outDir = Path.Combine(Path.GetTempPath(), "ctseg-bench-io");
        Directory.CreateDirectory(outDir);
        foreach (int level in levels)
        {
            string target = Path.Combine(outDir, $"out-level{level}.nii.gz");
            var options = new WriteOptions { CompressionLevel = level };
            var writes = Time(repeats, () => NiftiFile.Write(target, volume, options));
            double fileMb = new FileInfo(target).Length / 1e6;
            Console.WriteLine(FormattableString.Invariant(
                $"| CtSegLabel | write .nii.gz level {level} | {fileMb:F1} MB file | {Median(writes):F3} s | {rawMb / Median(writes):F0} MB/s |"));
        }
        Directory.Delete(outDir, recursive: true);
        return 0;
    }

    private static double[] Time(int repeats, Action action)
    {
        var seconds = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            action();
            seconds[r] = sw.Elapsed.TotalSeconds;
        }
        return seconds;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
