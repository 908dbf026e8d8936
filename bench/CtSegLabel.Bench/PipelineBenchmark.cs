using System.Diagnostics;
using System.Globalization;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Inference.Tests.Pipeline;

namespace CtSegLabel.Bench;

/// <summary>
/// The whole-CT pipeline's own cost, network excluded: a whole-body phantom through
/// <see cref="SegmentationPipeline.Run"/> with the oracle predictor (ground truth answered as probabilities and
/// embeddings, the shapes a network returns). The oracle's own time is measured apart and subtracted from the
/// "infer" stage, which leaves the blending. Peak memory is the process's peak resident set during the run (Linux
/// VmHWM, reset before it), and its rise over the resident set before the run (phantom and runtime).
/// </summary>
public static class PipelineBenchmark
{
    public static int Run(string[] args)
    {
        int size = 512, slices = 300, repeats = 3, dims = 32;
        var ribs = RibMode.ConnectedComponents;
        for (int n = 0; n + 1 < args.Length; n += 2)
        {
            int Int() => int.Parse(args[n + 1], CultureInfo.InvariantCulture);
            switch (args[n])
            {
                case "--size": size = Int(); break;
                case "--slices": slices = Int(); break;
                case "--repeats": repeats = Int(); break;
                case "--embedding-dim": dims = Int(); break;
                case "--ribs": ribs = args[n + 1] == "clustering" ? RibMode.Clustering : RibMode.ConnectedComponents; break;
                default: Console.Error.WriteLine($"unknown option {args[n]}"); return 2;
            }
        }

        var generate = Stopwatch.StartNew();
        var phantom = PhantomGenerator.Generate(7, 0, new PhantomOptions
        {
            Size = size, Slices = slices, Range = RangeKind.WholeBody, Spacing = new Vec3(460.0 / size, 460.0 / size, 3),
        });
        Console.WriteLine(FormattableString.Invariant(
            $"phantom {phantom.Ct.Shape} int16, {phantom.Ct.Geometry.Spacing} mm, generated in {generate.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores; ribs {ribs}; embedding dim {dims}"));
        var settings = new PipelineSettings { Channels = ChannelMap.Thesis, Ribs = ribs };
        Console.WriteLine("| run | pre s | infer s (oracle excluded) | oracle s | post s | pipeline s (oracle excluded) | peak RSS MB | rise MB | labels |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int r = 0; r < repeats; r++)
        {
            var oracle = new TimedPredictor(new OraclePredictor(phantom.Labels, ChannelMap.Thesis, embeddingDim: dims));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = ResidentBytes("VmRSS");
            ResetPeak();
            var result = SegmentationPipeline.Run(phantom.Ct, oracle, settings);
            long peak = ResidentBytes("VmHWM");
            var l = result.Latencies;
            double oracleSeconds = oracle.Elapsed.TotalSeconds;
            Console.WriteLine(FormattableString.Invariant(
                $"| {r + 1} | {l.Pre:F2} | {l.Infer - oracleSeconds:F2} | {oracleSeconds:F2} | {l.Post:F2} | {l.Total - oracleSeconds:F2} | {peak / 1e6:F0} | {(peak - before) / 1e6:F0} | {result.Labels.Labels.Count} |"));
            if (r == repeats - 1)
                Console.WriteLine("structures found: " + string.Join(", ", result.Labels.Labels.Where((l, n) => result.Statistics[n].Voxels > 0).Select(l => l.Name)));
        }
        return 0;
    }

    private sealed class TimedPredictor(IWindowPredictor inner) : IWindowPredictor
    {
        private readonly Stopwatch _watch = new();
        public int Classes => inner.Classes;
        public int EmbeddingDim => inner.EmbeddingDim;
        public int PreferredBatch => inner.PreferredBatch;
        public TimeSpan Elapsed => _watch.Elapsed;

        public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation)
        {
            _watch.Start();
            try { return inner.Predict(blocks, embeddings, cancellation); }
            finally { _watch.Stop(); }
        }
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static long ResidentBytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return -1;
    }
}
