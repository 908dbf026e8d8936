using System.Diagnostics;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// One bounded load run against the real server process: seed a studies folder, start the server, run one infer to
/// warm it (model load, first-call costs — reported apart), then for the set duration the /info/, infer and label
/// users at once; drain what is under way, check every acknowledged label against the datastore, read the server's
/// peak memory and CPU time. Anything but the documented answers is a failure in the report.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadOptions options, JsonObject inferParams, TextWriter log)
    {
        if (options.LabelClients > options.Images)
            throw new ArgumentException($"{options.LabelClients} label clients need at least as many images (got {options.Images})");
        string studies = Path.Combine(options.WorkFolder, "studies"), scratch = Path.Combine(options.WorkFolder, "scratch");
        Directory.CreateDirectory(studies);
        Directory.CreateDirectory(scratch);
        var images = Seed(studies, options);
        string[] ids = [.. images.Select(i => i.Id)];
        log.WriteLine($"seeded {images.Count} images into {studies}; starting {options.ServerDll}");

        await using var server = await ServerProcess.StartAsync(options, studies, Path.Combine(options.WorkFolder, "logs"));
        long idle = ProcessSampler.Status(server.Pid, "VmRSS:") ?? 0;
        var recorder = new RouteRecorder();
        var failures = new List<string>();

        var warm = Stopwatch.StartNew();
        var warmup = new RouteRecorder();
        await LoadClients.InferOnceAsync(server.Address, options.InferModel, inferParams, ids[0], warmup);
        failures.AddRange(warmup.Unexpected.Select(u => "warm-up infer: " + u));
        double warmupSeconds = warm.Elapsed.TotalSeconds;
        long warmRss = ProcessSampler.Status(server.Pid, "VmRSS:") ?? 0;
        log.WriteLine(FormattableString.Invariant($"warm-up infer {warmupSeconds:F2} s; server RSS idle {idle >> 20} MB, warm {warmRss >> 20} MB; load for {options.Duration.TotalSeconds:F0} s"));

        var ledger = new LabelLedger();
        long sequence = 0;
        var cpuBefore = ProcessSampler.CpuTime(server.Pid);
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await using var sampler = new ProcessSampler(server.Pid);
        using var stop = new CancellationTokenSource(options.Duration);
        var clock = Stopwatch.StartNew();
        var users = new List<Task>();
        for (int c = 0; c < options.InfoClients; c++)
            users.Add(Task.Run(() => LoadClients.InfoAsync(server.Address, recorder, stop.Token)));
        for (int c = 0; c < options.InferClients; c++)
        {
            int client = c;
            users.Add(Task.Run(() => LoadClients.InferAsync(server.Address, options.InferModel, inferParams, ids, client, recorder, stop.Token)));
        }
        for (int c = 0; c < options.LabelClients; c++)
        {
            int client = c;
            users.Add(Task.Run(() => LoadClients.LabelAsync(server.Address, images, client, options.LabelClients, scratch,
                () => Interlocked.Increment(ref sequence), ledger, recorder, stop.Token)));
        }
        await Task.WhenAll(users);
        var window = clock.Elapsed;
        var serverCpu = ProcessSampler.CpuTime(server.Pid) - cpuBefore;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        await sampler.DisposeAsync();
        // The kernel's high-water mark catches a peak between two samples, but it is only brought up to date when
        // memory is unmapped, and from per-CPU counters that are approximate: a sample can read above it (CI saw
        // one). The peak is the larger of the two, read after the last sample.
        long peak = Math.Max(ProcessSampler.Status(server.Pid, "VmHWM:") ?? 0, sampler.MaxSampledBytes);

        failures.AddRange(recorder.Unexpected.Select(u => "unexpected answer: " + u));
        var problems = ledger.Verify(studies);
        failures.AddRange(problems.Select(p => "label not stored as acknowledged: " + p));
        if (server.HasExited) failures.Add($"the server process exited during the load:\n{server.Output()}");
        if (options.MemoryBudgetBytes is { } budget && peak > budget)
            failures.Add($"peak server memory (VmHWM) {peak >> 20} MB exceeds the budget of {budget >> 20} MB");
        var routes = recorder.Summaries(window);
        foreach (var r in routes.Where(r => r.UnexpectedCount > 0))
            failures.Add($"{r.Route}: {r.UnexpectedCount} of {r.Count} answers were not the documented ones");

        return new LoadReport
        {
            Options = options,
            App = options.AppDll is null ? "CT (tiny SwinUNETR-V2)" : Path.GetFileNameWithoutExtension(options.AppDll),
            Machine = Machine(),
            Routes = routes,
            WindowSeconds = window.TotalSeconds,
            WarmupInferSeconds = warmupSeconds,
            IdleRssBytes = idle,
            WarmRssBytes = warmRss,
            MaxSampledRssBytes = sampler.MaxSampledBytes,
            MeanSampledRssBytes = sampler.MeanSampledBytes,
            RssSamples = sampler.Samples,
            MaxRssByTenthBytes = sampler.MaxByPart(10),
            PeakRssBytes = peak,
            ServerCpuSeconds = serverCpu.TotalSeconds,
            ClientCpuSeconds = clientCpu.TotalSeconds,
            LabelsAcknowledged = ledger.AcknowledgedCount,
            LabelImages = ledger.Images,
            Failures = failures,
        };
    }

    /// <summary>Phantom CTs (thorax, LPS) at the chosen size; spacing scaled so the body spans the same millimetres.</summary>
    private static List<(string Id, ImageGeometry Grid)> Seed(string studies, LoadOptions options)
    {
        var images = new List<(string, ImageGeometry)>();
        double inPlane = 7.5 * 64 / options.ImageSize;
        for (int i = 0; i < options.Images; i++)
        {
            var phantom = PhantomGenerator.Generate(5, i, new PhantomOptions
            {
                Size = options.ImageSize, Slices = options.ImageSlices, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps,
                Spacing = new Vec3(inPlane, inPlane, 3.0),
            });
            string id = PhantomGenerator.IdOf(i);
            NiftiFile.Write(Path.Combine(studies, id + ".nii.gz"), phantom.Ct);
            images.Add((id, phantom.Ct.Geometry));
        }
        return images;
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} logical CPUs ({CpuModel()}), {Environment.OSVersion.VersionString}, .NET {Environment.Version}";

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
