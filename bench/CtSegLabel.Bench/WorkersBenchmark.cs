using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Handlers;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;
using CtSegLabel.CtApp;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Bench;

/// <summary>
/// The broker's cost on one infer: the CT app's model run directly (read the image, <c>InferAsync</c>) against the
/// same run as a compute job (image bytes framed to a worker, read there, inferred, the label map written as NIfTI,
/// framed back and read) — the in-process worker the server uses by default (<c>inproc://</c>), and a worker connected
/// over loopback TCP in the same process (the wire a remote worker uses, without a second process competing for the two
/// cores). Runs alternate so that drift hits all paths alike; medians are reported. What HTTP adds is the same with
/// and without the broker and is left out.
/// </summary>
public static class WorkersBenchmark
{
    public static int Run(string[] args)
    {
        string? ct = null, models = null, model = "swinunetr_v2";
        int repeats = 5;
        for (int n = 0; n + 1 < args.Length; n += 2)
        {
            switch (args[n])
            {
                case "--ct": ct = args[n + 1]; break;
                case "--models": models = args[n + 1]; break;
                case "--model": model = args[n + 1]; break;
                case "--repeats": repeats = int.Parse(args[n + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[n]}"); return 2;
            }
        }
        if (ct is null || models is null)
        {
            Console.Error.WriteLine("workers: --ct FILE and --models DIR are required");
            return 2;
        }
        return RunAsync(ct, models, model, repeats).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string ct, string models, string model, int repeats)
    {
        string studies = Directory.CreateTempSubdirectory("ctseg-bench-studies").FullName;
        var app = new CtSegmentationApp(new AppEnvironment(studies, Path.GetFullPath(models)));
        var task = app.InferTasks.Single(t => t.Name == model);
        var parameters = new JsonObject();

        using var broker = new ComputeBroker(new BrokerOptions());
        broker.Start();
        using var local = new ComputeWorker(new WorkerOptions { Endpoint = broker.LocalEndpoint, Name = "inproc" }, [new InferJobHandler(app)]);
        local.Start();
        while (broker.Workers.Count < 1) await Task.Delay(50);

        // A second broker whose only worker is on loopback TCP, so that each job goes where its column says.
        using var remoteBroker = new ComputeBroker(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0" });
        remoteBroker.Start();
        using var remote = new ComputeWorker(new WorkerOptions { Endpoint = remoteBroker.RemoteEndpoint!, Name = "tcp" }, [new InferJobHandler(app)]);
        remote.Start();
        while (remoteBroker.Workers.Count < 1) await Task.Delay(50);

        long imageBytes = new FileInfo(ct).Length;
        long labelBytes = 0;
        async Task<double> Direct()
        {
            var clock = Stopwatch.StartNew();
            var image = VolumeFile.Read(ct);
            await task.InferAsync(new InferRequest(model, null, parameters), image, CancellationToken.None);
            return clock.Elapsed.TotalSeconds;
        }
        async Task<double> Job(ComputeBroker via)
        {
            var clock = Stopwatch.StartNew();
            var reply = await via.SubmitAsync(InferJob.Request(model, ct, null, parameters));
            InferJob.ResultOf(reply);
            labelBytes = reply.Payload.Length;
            return clock.Elapsed.TotalSeconds;
        }

        Console.WriteLine($"warm-up on {Path.GetFileName(ct)} ({imageBytes / 1e6:F1} MB), model {model} on {app.Store.Device}; {Environment.ProcessorCount} cores");
        await Direct();
        await Job(broker);
        await Job(remoteBroker);
        var direct = new List<double>();
        var inproc = new List<double>();
        var tcp = new List<double>();
        Console.WriteLine("| run | direct s | broker, inproc worker s | broker, TCP worker s |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        for (int r = 0; r < repeats; r++)
        {
            // Rotate the order each run so that no path always runs first (warm caches) or last.
            var order = new (List<double> Into, Func<Task<double>> Run)[] { (direct, Direct), (inproc, () => Job(broker)), (tcp, () => Job(remoteBroker)) };
            var row = new double[3];
            for (int i = 0; i < 3; i++)
            {
                int k = (i + r) % 3;
                row[k] = await order[k].Run();
                order[k].Into.Add(row[k]);
            }
            Console.WriteLine(FormattableString.Invariant($"| {r + 1} | {row[0]:F2} | {row[1]:F2} | {row[2]:F2} |"));
        }
        double d = Median(direct), i2 = Median(inproc), t = Median(tcp);
        Console.WriteLine(FormattableString.Invariant(
            $"| median | {d:F2} | {i2:F2} ({(i2 / d - 1) * 100:+0.0;-0.0} %) | {t:F2} ({(t / d - 1) * 100:+0.0;-0.0} %) |"));
        Console.WriteLine(FormattableString.Invariant($"image {imageBytes / 1e6:F1} MB out, label map {labelBytes / 1e6:F2} MB back per job"));

        // The broker's own cost without the model's run-to-run noise: the same job answered by a worker that replies
        // with a label map computed beforehand. What remains is reading the image bytes, framing them both ways over
        // inproc, and decoding the label NIfTI; encoding it on the worker is timed apart.
        var image = VolumeFile.Read(ct);
        var result = await task.InferAsync(new InferRequest(model, null, parameters), image, CancellationToken.None);
        var encode = new List<double>();
        var canned = InferJob.Reply(result, image.Shape);
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            canned = InferJob.Reply(result, image.Shape);
            encode.Add(clock.Elapsed.TotalSeconds);
        }
        using var cannedBroker = new ComputeBroker(new BrokerOptions());
        cannedBroker.Start();
        using var cannedWorker = new ComputeWorker(new WorkerOptions { Endpoint = cannedBroker.LocalEndpoint, Name = "canned" },
            [new CannedInferHandler(model, canned.Header, canned.Payload)]);
        cannedWorker.Start();
        while (cannedBroker.Workers.Count < 1) await Task.Delay(50);
        await Job(cannedBroker);
        var transport = new List<double>();
        for (int r = 0; r < repeats; r++) transport.Add(await Job(cannedBroker));
        double e = Median(encode), tr = Median(transport);
        Console.WriteLine(FormattableString.Invariant(
            $"broker cost alone (median of {repeats}): label encode on the worker {e * 1000:F0} ms + request, framing both ways and decode {tr * 1000:F0} ms = {(e + tr) * 1000:F0} ms, {(e + tr) / d * 100:F1} % of the direct run"));
        Directory.Delete(studies, recursive: true);
        return 0;
    }

    /// <summary>Answers every infer job with the same reply: the broker's path with the model taken out.</summary>
    private sealed class CannedInferHandler(string model, System.Text.Json.Nodes.JsonObject header, byte[] payload) : IJobHandler
    {
        public string Kind => JobKinds.Infer;

        public IReadOnlyList<string> Targets { get; } = [model];

        public Task<(System.Text.Json.Nodes.JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<System.Text.Json.Nodes.JsonObject> progress,
            CancellationToken cancellation) => Task.FromResult(((System.Text.Json.Nodes.JsonObject)header.DeepClone(), payload));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
