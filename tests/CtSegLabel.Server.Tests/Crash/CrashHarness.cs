using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.TestSupport;

namespace CtSegLabel.Server.Tests.Crash;

/// <summary>How a crash run is set up: the seed decides every kill moment and target, so a failing round can be
/// replayed from the seed the report logs.</summary>
public sealed record CrashOptions
{
    public int Rounds { get; init; } = 3;
    public int Seed { get; init; } = Environment.TickCount;
    /// <summary>Run the CT app (tiny SwinUNETR-V2) training throughout, so kills hit checkpoint writes and each
    /// restart must resume the run; false: the test app, datastore load only (faster rounds).</summary>
    public bool Training { get; init; } = true;
    /// <summary>Kill after a random delay in this range (ms) after the load starts, unless the round targets a phase.</summary>
    public int MinKillMs { get; init; } = 200;
    public int MaxKillMs { get; init; } = 2500;
    /// <summary>Share of rounds that wait for a write in flight (a save's intent, a JSON or checkpoint temporary) and
    /// kill the moment it appears, instead of a random moment.</summary>
    public double TargetedShare { get; init; } = 0.5;
    /// <summary>A fixed target per round (cycled) instead of the seeded choice: "random moment", "label intent",
    /// "JSON temporary", "checkpoint temporary".</summary>
    public IReadOnlyList<string>? Targets { get; init; }
    /// <summary>Passed to the server: holds a save inside its steps so random kills land there (0 = off).</summary>
    public int PhaseDelayMs { get; init; } = 20;
    public int Clients { get; init; } = 4;
    public string Folder { get; init; } = Path.Combine(Path.GetTempPath(), "ctseg-crash-" + Guid.NewGuid().ToString("N"));
    public TextWriter Log { get; init; } = TextWriter.Null;
}

/// <summary>The outcome: rounds, where each kill landed, what was acknowledged and verified, and any problem.</summary>
public sealed record CrashReport(int Rounds, int Seed, Dictionary<string, int> Phases, Dictionary<string, int> Targets, int AcknowledgedLabels,
    int AcknowledgedInfos, int Resumes, int ResumeChecksSkipped, List<string> Problems, TimeSpan Elapsed);

/// <summary>
/// The crash harness (issue #8, "nothing lost"): a real server process on loopback under a load of label saves (the
/// same few images and distinct ones), image-info updates and, with <see cref="CrashOptions.Training"/>, a training run
/// that writes checkpoints; SIGKILL at a seeded moment; restart; verify. After each restart: the JSON parses, every
/// acknowledged label and info key is there byte for byte with who/when (<see cref="CrashLedger"/>), no temporary or
/// intent is left, and a training started again resumes from the epoch its run folder's state.json had reached.
/// Used by the tests (a few rounds) and by <c>CtSegLabel.Bench crash</c> (hundreds).
/// </summary>
public sealed class CrashHarness
{
    public const string Tag = "crash";
    private const string Model = "swinunetr_v2";
    private const string RunName = "crash";
    private static readonly string[] SharedImages = ["shared_0", "shared_1", "shared_2"];
    private static readonly string[] DistinctImages = Enumerable.Range(0, 6).Select(n => $"distinct_{n}").ToArray();
    private static readonly string[] TrainingImages = ["train_0", "train_1"];

    private readonly CrashOptions _o;
    private readonly Random _random;
    private readonly CrashLedger _ledger = new();
    private readonly List<string> _variants = [];
    private readonly Dictionary<string, int> _phases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _targets = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private int _resumes, _resumeSkipped, _counter;

    public CrashHarness(CrashOptions options)
    {
        _o = options;
        _random = new Random(options.Seed);
    }

    private string Studies => Path.Combine(_o.Folder, "studies");
    private string Models => Path.Combine(_o.Folder, "models");
    private string Scratch => Path.Combine(_o.Folder, "scratch");
    private string Run => Path.Combine(Models, Model, "runs", RunName);

    public async Task<CrashReport> RunAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        _o.Log.WriteLine($"crash harness: seed {_o.Seed}, {_o.Rounds} rounds, training {_o.Training}, folder {_o.Folder}");
        Directory.CreateDirectory(Studies);
        Directory.CreateDirectory(Scratch);
        Directory.CreateDirectory(Models);
        await SetUpAsync(ct);
        for (int round = 1; round <= _o.Rounds && _problems.Count == 0; round++)
            await RoundAsync(round, ct);
        return new CrashReport(_o.Rounds, _o.Seed, _phases, _targets, _ledger.Labels, _ledger.InfoUpdates, _resumes, _resumeSkipped, _problems, clock.Elapsed);
    }

    /// <summary>Images (small phantoms on one grid, so any label variant fits any image), label variants that differ
    /// in their bytes, and for training a tiny checkpoint plus final labels of the training images.</summary>
    private async Task SetUpAsync(CancellationToken ct)
    {
        var phantom = PhantomGenerator.Generate(11, 0, new PhantomOptions
        {
            Size = 64, Slices = 40, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(7.5, 7.5, 3.0),
        });
        foreach (string id in SharedImages.Concat(DistinctImages).Concat(_o.Training ? TrainingImages : []))
            NiftiFile.Write(Path.Combine(Studies, id + ".nii.gz"), phantom.Ct);
        var labels = phantom.Labels.ConvertTo<byte>();
        for (int n = 0; n < 32; n++)
        {
            labels[0, 0, 0] = (byte)(100 + n);
            string file = Path.Combine(Scratch, $"variant_{n}.nii.gz");
            NiftiFile.Write(file, labels);
            _variants.Add(file);
        }
        if (!_o.Training) return;
        await RunToEndAsync(BuiltFiles.CtsegDll, "model", "init", "--arch", "swinunetr-v2", "--config", "tiny", "--classes", "37",
            "--in-plane", "32", "--block-slices", "32", "--out", Path.Combine(Models, Model, "0.0.0-untrained.ctseg"));
        string final = Path.Combine(Studies, "labels", "final");
        Directory.CreateDirectory(final);
        foreach (string id in TrainingImages) NiftiFile.Write(Path.Combine(final, id + ".nii.gz"), phantom.Labels);
    }

    private async Task RoundAsync(int round, CancellationToken ct)
    {
        int? epochOnDisk = EpochOnDisk();
        string target = ChooseTarget(round);
        using var server = StartServer(out var http);
        using var _ = http;
        try
        {
            await WaitAnswersAsync(http, server, ct);
            if (round > 1) Verify(round, server);
            if (_problems.Count > 0) return;
            if (_o.Training) await StartTrainingAsync(http, server, epochOnDisk, round, ct);
            if (_problems.Count > 0) return;

            _targets[target] = _targets.GetValueOrDefault(target) + 1;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = Enumerable.Range(0, _o.Clients).Select(c => LoadAsync(http, round, c, stop.Token)).ToList();
            if (!await KillWhenAsync(target, server, ct))
                _o.Log.WriteLine($"round {round}: no {target} seen in time; killed anyway. Training: {await TrainStatusAsync(http)}");
            stop.Cancel();
            await Task.WhenAll(load);
        }
        finally
        {
            server.Kill();
        }
        var phases = KillPhase.Classify(Studies, _o.Training ? Run : null, server.StartedUtc);
        foreach (string phase in phases) _phases[phase] = _phases.GetValueOrDefault(phase) + 1;
        _o.Log.WriteLine($"round {round}: killed ({target}) in [{string.Join("; ", phases)}], acknowledged so far {_ledger.Labels} labels, {_ledger.InfoUpdates} infos, epoch on disk {EpochOnDisk()?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        if (round == _o.Rounds) await FinalCheckAsync(ct);
    }

    /// <summary>After the last kill: one more start, so that kill's round is verified too.</summary>
    private async Task FinalCheckAsync(CancellationToken ct)
    {
        int? epochOnDisk = EpochOnDisk();
        using var server = StartServer(out var http);
        using var _ = http;
        await WaitAnswersAsync(http, server, ct);
        Verify(_o.Rounds + 1, server);
        if (_o.Training && _problems.Count == 0) await StartTrainingAsync(http, server, epochOnDisk, _o.Rounds + 1, ct);
        server.Kill();
    }

    private string ChooseTarget(int round)
    {
        if (_o.Targets is { Count: > 0 } fixedTargets) return fixedTargets[(round - 1) % fixedTargets.Count];
        if (_random.NextDouble() >= _o.TargetedShare) return "random moment";
        string[] targets = _o.Training ? ["label intent", "JSON temporary", "checkpoint temporary"] : ["label intent", "JSON temporary"];
        return targets[_random.Next(targets.Length)];
    }

    /// <summary>A random moment once the load is flowing, or the first sight of the targeted write's temporary (polled every millisecond or
    /// so; a write shorter than that is missed and the round falls back to its random moment).</summary>
    private async Task<bool> KillWhenAsync(string target, ServerProcess server, CancellationToken ct)
    {
        int delay = _random.Next(_o.MinKillMs, _o.MaxKillMs + 1);
        var clock = Stopwatch.StartNew();
        if (target == "random moment")
        {
            // The random moment counts from the round's first acknowledged label: on a loaded machine the first
            // answers can take seconds (a cold server answers the cheap info updates first), and a kill before any
            // label would test nothing.
            int before = _ledger.Labels;
            while (_ledger.Labels == before && clock.Elapsed < TimeSpan.FromSeconds(60) && !server.HasExited)
                await Task.Delay(5, ct);
            await Task.Delay(delay, ct);
            server.Kill();
            return true;
        }
        // A targeted round waits for its write (a checkpoint comes once per epoch; the first epoch also builds the cache,
        // which on a loaded 2-core machine can take minutes: missing it would leave no training to resume).
        var until = TimeSpan.FromSeconds(target == "checkpoint temporary" ? 300 : 20);
        while (clock.Elapsed < until && !server.HasExited)
        {
            if (Seen(target))
            {
                server.Kill();
                return true;
            }
            Thread.Sleep(1);
        }
        return false;
    }

    private static async Task<string> TrainStatusAsync(HttpClient http)
    {
        try
        {
            return await http.GetStringAsync("/train/");
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private bool Seen(string target)
    {
        try
        {
            return target switch
            {
                "label intent" => Directory.Exists(Path.Combine(Studies, "labels", Tag, ".versions"))
                    && Directory.EnumerateFiles(Path.Combine(Studies, "labels", Tag, ".versions"), ".pending-*", SearchOption.AllDirectories).Any(),
                "JSON temporary" => Directory.EnumerateFiles(Studies, ".datastore_v2.json.*.tmp").Any(),
                // Only once an epoch is complete, so the next start has something to resume from.
                "checkpoint temporary" => File.Exists(Path.Combine(Run, "state.json")) && Directory.EnumerateFiles(Run, ".*.tmp").Any(),
                _ => false,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a folder changing under the enumeration: look again
        }
    }

    /// <summary>One annotator: label saves (mostly to the shared images, so versions pile up), image-info updates
    /// and listings, as fast as the server answers, until the kill. Only 200 answers enter the ledger.</summary>
    private async Task LoadAsync(HttpClient http, int round, int clientNo, CancellationToken stop)
    {
        var random = new Random(_o.Seed * 31 + round * 7 + clientNo);
        while (!stop.IsCancellationRequested)
        {
            int n = Interlocked.Increment(ref _counter);
            string client = $"r{round}-c{clientNo}-{n}";
            double pick = random.NextDouble();
            try
            {
                if (pick < 0.6)
                {
                    string image = random.NextDouble() < 0.6 ? SharedImages[random.Next(SharedImages.Length)] : DistinctImages[random.Next(DistinctImages.Length)];
                    string file = _variants[random.Next(_variants.Count)];
                    await new MonaiLabelClient(http, client).SaveLabelAsync(image, file, Tag, ct: stop);
                    _ledger.AcknowledgedLabel(image, CrashLedger.Hash(file), client);
                }
                else if (pick < 0.9)
                {
                    string image = SharedImages.Concat(DistinctImages).ElementAt(random.Next(SharedImages.Length + DistinctImages.Length));
                    string key = $"k_{n}";
                    using var form = new MultipartFormDataContent { { new StringContent($"{{\"{key}\": \"{client}\"}}"), "info" } };
                    using var answer = await http.PutAsync($"/datastore/image/info?image={image}", form, stop);
                    if (answer.IsSuccessStatusCode) _ledger.AcknowledgedInfo(image, key);
                }
                else
                {
                    using var answer = await http.GetAsync("/datastore/?output=stats", stop);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or MonaiLabelClientException or IOException)
            {
                if (stop.IsCancellationRequested) return;
                await Task.Delay(20, CancellationToken.None); // the server is gone: the round ends with the kill
            }
        }
    }

    private ServerProcess StartServer(out HttpClient http)
    {
        List<string> args =
        [
            "--studies", Studies, "--models", Models, "--Server:LogToConsole=true", "--Server:LabelVersionsKept=0",
            $"--Server:CrashTestPhaseDelayMs={_o.PhaseDelayMs}",
        ];
        if (!_o.Training) args.AddRange(["--app", BuiltFiles.TestAppDll]);
        var server = ServerProcess.Start(args, out int port);
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        return server;
    }

    private static async Task WaitAnswersAsync(HttpClient http, ServerProcess server, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException("the server exited at start:\n" + server.Tail());
            try
            {
                using var answer = await http.GetAsync("/info/", ct);
                if (answer.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException("the server did not answer within 90 s:\n" + server.Tail());
            await Task.Delay(50, ct);
        }
    }

    private void Verify(int round, ServerProcess server)
    {
        foreach (string problem in _ledger.Verify(Studies, Tag)) _problems.Add($"round {round}: {problem}");
        foreach (string orphan in KillPhase.Orphans(Studies)) _problems.Add($"round {round}: temporary left after the restart: {orphan}");
        if (_problems.Count > 0) _problems.Add("server output:\n" + server.Tail());
    }

    /// <summary>Starts (or restarts) the training run; when the run folder held a completed epoch at the kill, the
    /// new run must say it resumes after exactly that epoch.</summary>
    private async Task StartTrainingAsync(HttpClient http, ServerProcess server, int? epochOnDisk, int round, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["name"] = RunName, ["max_epochs"] = 100_000, ["gradient_accumulation"] = 1, ["val_split"] = 0.0, ["augment"] = false,
            ["client_id"] = "crash-harness",
        };
        using (var started = await http.PostAsync($"/train/{Model}", JsonContent.Create(body), ct))
            if (!started.IsSuccessStatusCode)
            {
                _problems.Add($"round {round}: POST /train answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync(ct)}");
                return;
            }
        if (epochOnDisk is not int epoch || epoch == 0)
        {
            _resumeSkipped++;
            return;
        }
        string expected = $"resuming after epoch {epoch.ToString(CultureInfo.InvariantCulture)},";
        var clock = Stopwatch.StartNew();
        while (!server.Output().Contains(expected, StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90) || server.HasExited)
            {
                _problems.Add($"round {round}: state.json held epoch {epoch}, but the training did not say '{expected}'\n{server.Tail()}");
                return;
            }
            await Task.Delay(50, ct);
        }
        _resumes++;
        // The kill may have cut a checkpoint write: its temporary (as large as a checkpoint) must be gone. Only files
        // from before this start count; the resumed run writes new ones.
        var leftovers = Directory.EnumerateFiles(Run, ".*.tmp").Where(f => File.GetLastWriteTimeUtc(f) < server.StartedUtc).ToList();
        if (leftovers.Count > 0) _problems.Add($"round {round}: checkpoint temporaries left after the resume: {string.Join(", ", leftovers)}");
    }

    private int? EpochOnDisk()
    {
        string state = Path.Combine(Run, "state.json");
        if (!File.Exists(state)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(state))?["completed_epochs"]?.GetValue<int>();
        }
        catch (System.Text.Json.JsonException)
        {
            _problems.Add($"{state} does not parse after a kill");
            return null;
        }
    }

    private static async Task RunToEndAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed: {await output}{await errors}");
    }
}
