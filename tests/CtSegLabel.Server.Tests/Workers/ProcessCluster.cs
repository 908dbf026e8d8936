using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Client;

namespace CtSegLabel.Server.Tests.Workers;

/// <summary>
/// A real deployment on loopback: the server process (test app, no in-process worker, a TCP workers endpoint) and
/// `ctseg worker` processes connected to it, each a separate OS process that a test can kill -9. Heartbeats are
/// 1 s (dead after 3 s of silence): short enough for quick tests, long enough that a loaded 2-core CI machine, where
/// other test assemblies run TorchSharp beside these processes, does not stall a live worker past it. Output of every
/// process is kept for failure messages.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public const int HeartbeatMs = 1000;
    private readonly TestDir _root = new();
    private readonly List<(string Name, Process Process, StringBuilder Output)> _processes = [];
    private readonly string _workersEndpoint;

    private ProcessCluster(int port, int workersPort)
    {
        Studies = _root.Sub("studies");
        Models = _root.Sub("models");
        Scratch = _root.Sub("scratch");
        _workersEndpoint = $"tcp://127.0.0.1:{workersPort}";
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        Client = new MonaiLabelClient(Http);
    }

    public string Studies { get; }
    public string Models { get; }
    public string Scratch { get; }
    public HttpClient Http { get; }
    public MonaiLabelClient Client { get; }

    /// <summary>Starts the server with <paramref name="settings"/> (extra <c>--Server:Key=value</c> switches) and waits until it answers.</summary>
    public static async Task<ProcessCluster> StartAsync(params string[] settings)
    {
        var cluster = new ProcessCluster(LoopbackPort.Free(), LoopbackPort.Free());
        string[] args =
        [
            BuiltFiles.ServerDll, "--studies", cluster.Studies, "--models", cluster.Models, "--port", cluster.Http.BaseAddress!.Port.ToString(),
            "--app", BuiltFiles.TestAppDll, "--in-process-worker", "false", "--workers-endpoint", cluster._workersEndpoint,
            $"--Server:WorkerHeartbeatMs={HeartbeatMs}", "--Server:LogToConsole=true", .. settings,
        ];
        cluster.Start("server", args);
        await cluster.WaitUntilAsync(async () =>
        {
            try
            {
                return (await cluster.Http.GetAsync("/info/")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the server answers /info/");
        return cluster;
    }

    /// <summary>Runs the server with <paramref name="args"/> until it exits by itself (a setting it refuses): exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunServerToExitAsync(params string[] args)
    {
        using var root = new TestDir();
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[BuiltFiles.ServerDll, "--studies", root.Sub("studies"), "--models", root.Sub("models"), "--port", LoopbackPort.Free().ToString(),
                     "--Server:LogToConsole=false", .. args])
            info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the server did not exit by itself within 60 s");
        }
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>Starts `ctseg worker` serving the test app and waits until the server lists it.</summary>
    public async Task<Process> StartWorkerAsync(string name)
    {
        var process = Start(name, [BuiltFiles.CtsegDll, "worker", "--connect", _workersEndpoint, "--app", BuiltFiles.TestAppDll, "--models", Models,
            "--name", name, "--heartbeat-ms", HeartbeatMs.ToString()]);
        await WaitUntilAsync(async () => (await WorkersAsync()).Any(w => w?["name"]?.GetValue<string>() == name), $"worker {name} is listed in /info/");
        return process;
    }

    public async Task<JsonArray> WorkersAsync() =>
        (JsonNode.Parse(await Http.GetStringAsync("/info/"))!["workers"] as JsonArray) ?? [];

    /// <summary>The name of a worker running a job, once one is.</summary>
    public async Task<string> BusyWorkerAsync()
    {
        string? busy = null;
        await WaitUntilAsync(async () =>
        {
            busy = (await WorkersAsync()).FirstOrDefault(w => w?["busy"] is not null)?["name"]?.GetValue<string>();
            return busy is not null;
        }, "a worker is busy");
        return busy!;
    }

    /// <summary>SIGKILL: the worker gets no chance to say goodbye, as when a machine loses power.</summary>
    public void Kill(string name)
    {
        var process = _processes.Single(p => p.Name == name).Process;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public async Task<string> UploadCtAsync(string id)
    {
        string file = TestVolumes.WriteCt(Scratch, $"{id}.nii.gz");
        await Client.UploadImageAsync(file, id);
        return file;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
                throw new TimeoutException($"waited {seconds} s for: {what}\n{Output()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Everything the processes printed, for a failing test's message.</summary>
    public string Output() => string.Join("\n", _processes.Select(p => $"--- {p.Name} (exited: {p.Process.HasExited}) ---\n{Tail(p.Output)}"));

    private Process Start(string name, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((name, process, output));
        return process;
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            string text = output.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }


    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process, _) in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
            }
            process.Dispose();
        }
        Http.Dispose();
        _root.Dispose();
    }
}
