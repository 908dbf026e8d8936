using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.LoadTesting;
using CtSegLabel.TestSupport;

namespace CtSegLabel.Bench;

/// <summary>
/// Issue #8's bounded load test: the real server process (Release build) on loopback with a seeded studies folder,
/// 100 clients refreshing /info/, infer clients queueing more work than the server runs at once, and annotators
/// submitting labels — for a fixed time. Prints (and with --out writes) per-route latency percentiles, statuses, the
/// server's peak memory against a budget and its CPU time; exits 1 on any answer other than the documented ones, a
/// label not stored as acknowledged, or the budget exceeded. The harness itself is tests/Shared/Load (the test suite
/// runs it briefly on the test app).
/// </summary>
public static class LoadBenchmark
{
    /// <summary>
    /// The default memory budget of the server process, from the runs in docs/benchmarks.md ("Load (issue #8)"): a
    /// fixed part — what the server holds under the /info/ and label load with the model loaded and no infer running,
    /// which stays level (363 MB at most over 120 s for the CT app), plus headroom — and a part per concurrent infer
    /// (one model run on a 64×64×30 image with its image, label map and answer buffers: ~220 MB above the warm server
    /// at the start of an infer-only run), each rounded up. Memory that keeps growing with the number of infers is
    /// not budgeted: it is what this budget exists to catch.
    /// </summary>
    private static readonly Dictionary<string, (int BaseMb, int PerInferMb)> Budgets = new()
    {
        ["ct"] = (400, 250),
        ["test"] = (250, 50),
    };

    public static int Run(string[] args)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int n = 0; n < args.Length; n += 2)
        {
            if (!args[n].StartsWith("--", StringComparison.Ordinal) || n + 1 >= args.Length)
            {
                Console.Error.WriteLine($"load: expected --option VALUE pairs, got '{args[n]}'");
                return 2;
            }
            settings[args[n][2..]] = args[n + 1];
        }
        string[] known = ["seconds", "info-clients", "infer-clients", "label-clients", "max-concurrent-infers", "worker-queue", "out", "app",
            "memory-budget-mb", "images", "image-size", "image-slices", "server-dll"];
        if (settings.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            Console.Error.WriteLine($"load: unknown option --{unknown}");
            return 2;
        }
        int Int(string key, int fallback) => settings.TryGetValue(key, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string app = settings.GetValueOrDefault("app", "ct");
        if (!Budgets.TryGetValue(app, out var budget))
        {
            Console.Error.WriteLine("load: --app is ct or test");
            return 2;
        }

        string root = BuiltFiles.Root;
        string serverDll = settings.GetValueOrDefault("server-dll", Path.Combine(root, "server/CtSegLabel.Server/bin/Release/net10.0/CtSegLabel.Server.dll"));
        string testAppDll = Path.Combine(root, "tests/CtSegLabel.TestApp/bin/Release/net10.0/CtSegLabel.TestApp.dll");
        foreach (string dll in app == "ct" ? [serverDll] : new[] { serverDll, testAppDll })
        {
            if (!File.Exists(dll))
            {
                Console.Error.WriteLine($"load: {dll} is not built (bench/load/run.sh builds it in Release)");
                return 2;
            }
        }

        string work = Directory.CreateTempSubdirectory("ctseg-load").FullName;
        try
        {
            string models = Path.Combine(work, "models");
            int concurrent = Int("max-concurrent-infers", 1);
            var options = new LoadOptions
            {
                ServerDll = serverDll,
                AppDll = app == "test" ? testAppDll : null,
                ModelsFolder = models,
                InferModel = app == "test" ? "threshold_bones" : "swinunetr_v2",
                WorkFolder = work,
                Duration = TimeSpan.FromSeconds(Int("seconds", 60)),
                InfoClients = Int("info-clients", 100),
                InferClients = Int("infer-clients", 8),
                LabelClients = Int("label-clients", 8),
                MaxConcurrentInfers = concurrent,
                WorkerQueue = Int("worker-queue", 4),
                Images = Int("images", 16),
                ImageSize = Int("image-size", 64),
                ImageSlices = Int("image-slices", 30),
                MemoryBudgetBytes = (long)Int("memory-budget-mb", budget.BaseMb + budget.PerInferMb * concurrent) * 1024 * 1024,
            };
            JsonObject inferParams = app == "test"
                ? new() { ["result_extension"] = ".nii.gz", ["result_dtype"] = "uint8" }
                // What Slicer sends for the CT app's options (lists collapsed to their first item), statistics off.
                : new() { ["ribs"] = "connected_components", ["precision"] = "fp32", ["roi_subset"] = "", ["statistics"] = false,
                          ["result_extension"] = ".nii.gz", ["result_dtype"] = "uint8" };
            if (app == "ct" && TinyCheckpoint.TryWrite(Path.Combine(models, "swinunetr_v2", "v1.ctseg")) is { } failed)
                throw new InvalidOperationException(failed);

            var report = LoadRun.RunAsync(options, inferParams, Console.Out).GetAwaiter().GetResult();
            string markdown = report.ToMarkdown();
            Console.WriteLine();
            Console.WriteLine(markdown);
            if (settings.TryGetValue("out", out string? outDir))
            {
                Directory.CreateDirectory(outDir);
                string name = FormattableString.Invariant($"load-{app}-{options.Duration.TotalSeconds:F0}s");
                File.WriteAllText(Path.Combine(outDir, name + ".json"), report.ToJson());
                File.WriteAllText(Path.Combine(outDir, name + ".md"), markdown);
                Console.WriteLine($"written: {Path.Combine(outDir, name)}.json and .md");
            }
            if (!report.Passed)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine($"LOAD TEST FAILED: {report.Failures.Count} problems");
                foreach (string f in report.Failures) Console.Error.WriteLine("  FAILURE: " + f);
                return 1;
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
