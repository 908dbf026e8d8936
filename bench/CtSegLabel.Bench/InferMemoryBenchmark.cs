using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.CtApp;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.LoadTesting;
using TorchSharp;

namespace CtSegLabel.Bench;

/// <summary>
/// Memory per infer, in process and without HTTP or the broker: the CT app's infer task (tiny SwinUNETR-V2
/// checkpoint, as the load benchmark serves it) run N times on a small thorax phantom, each run from a thread-pool
/// task as the in-process worker runs jobs. After every run it prints what would tell a leak apart from allocator
/// growth: the managed heap after a full collection, TorchSharp's live tensor count (all threads), and the process's
/// resident set (VmRSS) and peak (VmHWM). A managed or tensor leak grows the first two; native growth only the last.
/// </summary>
public static class InferMemoryBenchmark
{
    public static int Run(string[] args)
    {
        int runs = 100, size = 64, slices = 30, every = 10, threads = 0;
        for (int n = 0; n + 1 < args.Length; n += 2)
        {
            int Int() => int.Parse(args[n + 1], CultureInfo.InvariantCulture);
            switch (args[n])
            {
                case "--runs": runs = Int(); break;
                case "--size": size = Int(); break;
                case "--slices": slices = Int(); break;
                case "--every": every = Int(); break;
                case "--threads": threads = Int(); break;
                default: Console.Error.WriteLine($"unknown option {args[n]}"); return 2;
            }
        }
        return RunAsync(runs, size, slices, Math.Max(1, every), threads).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int runs, int size, int slices, int every, int threads)
    {
        var work = Directory.CreateTempSubdirectory("ctseg-infer-memory");
        try
        {
            string models = Path.Combine(work.FullName, "models");
            string checkpoint = Path.Combine(models, "swinunetr_v2", "v1.ctseg");
            if (TinyCheckpoint.TryWrite(checkpoint) is { } failed) { Console.Error.WriteLine(failed); return 1; }

            var app = new CtSegmentationApp(new AppEnvironment(Directory.CreateDirectory(Path.Combine(work.FullName, "studies")).FullName, models));
            var task = app.InferTasks.Single(t => t.Name == "swinunetr_v2");
            var ct = PhantomGenerator.Generate(5, 0, new PhantomOptions
            {
                Size = size, Slices = slices, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps,
                Spacing = new Vec3(460.0 / size, 460.0 / size, 3.0),
            }).Ct;
            // What the load benchmark's infer clients send.
            var parameters = new JsonObject
            {
                ["ribs"] = "connected_components", ["precision"] = "fp32", ["roi_subset"] = "", ["statistics"] = false,
                ["result_extension"] = ".nii.gz", ["result_dtype"] = "uint8",
            };

            Console.WriteLine(FormattableString.Invariant(
                $"{runs} infers of a {ct.Shape} phantom, tiny swinunetr_v2 on {app.Store.Device}; {Environment.ProcessorCount} cores; MALLOC_ARENA_MAX={Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "unset"}"));
            Console.WriteLine("| infer | managed MB | GC heap MB | live tensors | threads | VmRSS MB | VmHWM MB |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            using var stop = new CancellationTokenSource();
            if (threads > 0)
            {
                // A busy server's thread pool without the HTTP: N pool threads kept alive and woken at random by short
                // timer continuations (what 100 keep-alive clients do), so that successive infers run on different threads.
                ThreadPool.SetMinThreads(threads, threads);
                for (int n = 0; n < threads; n++)
                    _ = Task.Run(async () => { while (!stop.IsCancellationRequested) await Task.Delay(Random.Shared.Next(1, 5)); });
            }
            Row(0);
            var rss = new List<(int Run, long Bytes)>();
            for (int r = 1; r <= runs; r++)
            {
                // From the thread pool, like the worker (CtInferTask itself hops to the pool for the pipeline).
                await Task.Run(() => task.InferAsync(new InferRequest("swinunetr_v2", null, parameters.DeepClone().AsObject()), ct, CancellationToken.None));
                if (r % every == 0 || r == 1 || r == runs) rss.Add((r, Row(r)));
            }
            stop.Cancel();
            if (rss.Count >= 3)
            {
                // Growth over the second half, after allocator warm-up: the figure a leak keeps up and arenas do not.
                var half = rss.Where(p => p.Run >= runs / 2).ToList();
                double perInfer = (half[^1].Bytes - half[0].Bytes) / 1e6 / Math.Max(1, half[^1].Run - half[0].Run);
                Console.WriteLine(FormattableString.Invariant(
                    $"VmRSS {rss[0].Bytes / 1e6:F0} MB after infer 1 → {rss[^1].Bytes / 1e6:F0} MB after infer {runs}; second half {perInfer:F2} MB/infer"));
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static long Row(int run)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long managed = GC.GetTotalMemory(forceFullCollection: false);
        long heap = GC.GetGCMemoryInfo().HeapSizeBytes;
        long rss = ProcessSampler.Status(Environment.ProcessId, "VmRSS:") ?? 0;
        Console.WriteLine(FormattableString.Invariant(
            $"| {run} | {managed / 1e6:F1} | {heap / 1e6:F1} | {torch.Tensor.TotalCount} | {System.Diagnostics.Process.GetCurrentProcess().Threads.Count} | {rss / 1e6:F0} | {(ProcessSampler.Status(Environment.ProcessId, "VmHWM:") ?? 0) / 1e6:F0} |"));
        return rss;
    }
}
